using System.Globalization;
using System.Net;
using System.Text;

namespace BotEngine.Nlu.Evaluation;

/// <summary>
/// A self-contained HTML page (inline CSS and SVG, no scripts or network) summarising an evaluation:
/// headline metrics, the weakest intents, the most confused pairs with examples, a confusion heatmap and a
/// reliability diagram.
/// </summary>
public static class HtmlReport
{
    public static string Render(EvaluationResult r, IntentModel model, string? trainName, string? testName)
    {
        var sb = new StringBuilder();
        string title = $"NLU evaluation: {trainName} → {testName}";
        sb.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append("</title><style>")
          .Append("body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1200px}h1{font-size:20px}h2{font-size:16px;margin-top:28px}")
          .Append("table{border-collapse:collapse}td,th{padding:3px 8px;border-bottom:1px solid #eee;text-align:right}td:first-child,th:first-child{text-align:left}")
          .Append(".cards{display:flex;gap:12px;flex-wrap:wrap}.card{border:1px solid #ddd;border-radius:6px;padding:8px 14px}.card b{display:block;font-size:20px}")
          .Append(".bar{display:inline-block;height:10px;background:#4a90d9;vertical-align:middle}.ex{color:#555;font-size:12px;text-align:left}")
          .Append(".scroll{max-height:480px;overflow:auto;display:inline-block}</style></head><body>");
        sb.Append("<h1>").Append(E(title)).Append("</h1>");
        sb.Append("<p>Model: ").Append(E(model.Metadata.Algorithm)).Append(", ").Append(model.Labels.Length).Append(" labels, ")
          .Append(model.Vectorizer.Dimension).Append(" features, trained on ").Append(model.Metadata.TrainingExamples)
          .Append(" examples (set ").Append(E(model.Metadata.TrainingSetHash[..Math.Min(12, model.Metadata.TrainingSetHash.Length)])).Append("), temperature ")
          .Append(F(model.Temperature)).Append(", out-of-scope threshold ").Append(F(model.OosThreshold)).Append(".</p>");

        sb.Append("<div class=\"cards\">");
        Card(sb, "accuracy (in scope)", P(r.AccuracyInScope));
        Card(sb, "accuracy (all)", P(r.AccuracyAll));
        Card(sb, "macro F1", F(r.MacroF1));
        if (r.OosRecall is double oos)
        {
            Card(sb, "oos recall", F(oos));
        }

        Card(sb, "ECE (15 bins)", F(r.Ece));
        Card(sb, "predict p50 / p99", $"{r.PredictUsP50:F0} / {r.PredictUsP99:F0} µs");
        Card(sb, "test items", r.Items.Count.ToString(CultureInfo.InvariantCulture));
        sb.Append("</div>");

        sb.Append("<h2>Reliability diagram</h2><p>Each bar is one confidence bin: its height is the accuracy of the predictions in it. ")
          .Append("A calibrated model follows the diagonal; the grey number is how many predictions fell in the bin.</p>");
        Reliability(sb, r);

        sb.Append("<h2>Most confused pairs</h2>");
        Confusions(sb, r);

        sb.Append("<h2>Confusion heatmap</h2><p>Rows: true intent, columns: predicted, both in label order; colour is the share of the row. ")
          .Append("Hover a cell for its counts.</p>");
        Heatmap(sb, r);

        sb.Append("<h2>Per intent (weakest first)</h2><div class=\"scroll\"><table><tr><th>intent</th><th>support</th><th>precision</th><th>recall</th><th>F1</th><th></th></tr>");
        foreach (var s in r.PerIntent.Where(s => s.Support > 0 || s.Predicted > 0).OrderBy(s => s.F1).ThenBy(s => s.Intent, StringComparer.Ordinal))
        {
            sb.Append("<tr><td>").Append(E(s.Intent)).Append("</td><td>").Append(s.Support).Append("</td><td>").Append(F(s.Precision))
              .Append("</td><td>").Append(F(s.Recall)).Append("</td><td>").Append(F(s.F1)).Append("</td><td style=\"text-align:left\"><span class=\"bar\" style=\"width:")
              .Append((int)(s.F1 * 120)).Append("px\"></span></td></tr>");
        }

        sb.Append("</table></div></body></html>");
        return sb.ToString();
    }

    private static void Card(StringBuilder sb, string name, string value)
        => sb.Append("<div class=\"card\">").Append(E(name)).Append("<b>").Append(E(value)).Append("</b></div>");

    private static void Reliability(StringBuilder sb, EvaluationResult r)
    {
        var (count, conf, acc) = Metrics.ReliabilityBins(r.Items.Select(i => i.ArgMaxConfidence).ToList(), r.Items.Select(i => i.ArgMaxCorrect).ToList());
        const int W = 420, H = 320, M = 40;
        int bins = count.Length;
        double bw = (double)(W - 2 * M) / bins;
        sb.Append($"<svg width=\"{W}\" height=\"{H}\" viewBox=\"0 0 {W} {H}\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"10\">");
        sb.Append($"<rect x=\"{M}\" y=\"{M / 2}\" width=\"{W - 2 * M}\" height=\"{H - M - M / 2}\" fill=\"#fafafa\" stroke=\"#ccc\"/>");
        double X(double v) => M + v * (W - 2 * M);
        double Y(double v) => H - M - v * (H - M - M / 2);
        for (int b = 0; b < bins; b++)
        {
            if (count[b] == 0)
            {
                continue;
            }

            double x = M + b * bw;
            sb.Append(string.Create(CultureInfo.InvariantCulture,
                $"<rect x=\"{x + 1:F1}\" y=\"{Y(acc[b]):F1}\" width=\"{bw - 2:F1}\" height=\"{Y(0) - Y(acc[b]):F1}\" fill=\"#4a90d9\"><title>confidence {conf[b]:F3}, accuracy {acc[b]:F3}, n={count[b]}</title></rect>"));
            sb.Append(string.Create(CultureInfo.InvariantCulture,
                $"<rect x=\"{x + 1:F1}\" y=\"{Y(conf[b]) - 1:F1}\" width=\"{bw - 2:F1}\" height=\"2\" fill=\"#d9534f\"/>"));
            sb.Append(string.Create(CultureInfo.InvariantCulture,
                $"<text x=\"{x + bw / 2:F1}\" y=\"{M / 2 - 3}\" text-anchor=\"middle\" fill=\"#888\">{count[b]}</text>"));
        }

        sb.Append(string.Create(CultureInfo.InvariantCulture, $"<line x1=\"{X(0)}\" y1=\"{Y(0)}\" x2=\"{X(1)}\" y2=\"{Y(1)}\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>"));
        for (int t = 0; t <= 5; t++)
        {
            double v = t / 5.0;
            sb.Append(string.Create(CultureInfo.InvariantCulture,
                $"<text x=\"{X(v):F1}\" y=\"{H - M + 14}\" text-anchor=\"middle\">{v:F1}</text><text x=\"{M - 6}\" y=\"{Y(v) + 3:F1}\" text-anchor=\"end\">{v:F1}</text>"));
        }

        sb.Append($"<text x=\"{W / 2}\" y=\"{H - 6}\" text-anchor=\"middle\">confidence (red: mean confidence of the bin)</text>");
        sb.Append($"<text x=\"12\" y=\"{H / 2}\" transform=\"rotate(-90 12 {H / 2})\" text-anchor=\"middle\">accuracy</text></svg>");
    }

    private static void Confusions(StringBuilder sb, EvaluationResult r)
    {
        var pairs = r.Items.Where(i => i.Gold != i.Predicted)
            .GroupBy(i => (i.Gold, i.Predicted))
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key.Gold, StringComparer.Ordinal).ThenBy(g => g.Key.Predicted, StringComparer.Ordinal)
            .Take(20).ToList();
        if (pairs.Count == 0)
        {
            sb.Append("<p>No errors.</p>");
            return;
        }

        sb.Append("<table><tr><th>true intent</th><th>predicted as</th><th>count</th><th class=\"ex\">examples (confidence)</th></tr>");
        foreach (var g in pairs)
        {
            sb.Append("<tr><td>").Append(E(g.Key.Gold)).Append("</td><td>").Append(E(g.Key.Predicted)).Append("</td><td>").Append(g.Count()).Append("</td><td class=\"ex\">");
            foreach (var ex in g.Take(3))
            {
                sb.Append("“").Append(E(ex.Text)).Append("” (").Append(F(ex.TopConfidence)).Append(")<br>");
            }

            sb.Append("</td></tr>");
        }

        sb.Append("</table>");
    }

    private static void Heatmap(StringBuilder sb, EvaluationResult r)
    {
        var labels = r.Items.Select(i => i.Gold).Concat(r.Items.Select(i => i.Predicted)).Distinct().Order(StringComparer.Ordinal).ToList();
        var index = labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i);
        int k = labels.Count;
        var counts = new Dictionary<(int, int), int>();
        var rowTotal = new int[k];
        foreach (var it in r.Items)
        {
            var key = (index[it.Gold], index[it.Predicted]);
            counts[key] = counts.GetValueOrDefault(key) + 1;
            rowTotal[key.Item1]++;
        }

        int cell = Math.Clamp(720 / Math.Max(1, k), 3, 24);
        int size = cell * k;
        bool showNames = cell >= 9;
        int margin = showNames ? 150 : 10;
        sb.Append($"<svg width=\"{size + margin + 10}\" height=\"{size + margin + 10}\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"{Math.Min(cell - 1, 11)}\">");
        sb.Append($"<rect x=\"{margin}\" y=\"{margin}\" width=\"{size}\" height=\"{size}\" fill=\"#fcfcfc\" stroke=\"#ddd\"/>");
        foreach (var ((row, col), n) in counts)
        {
            double share = rowTotal[row] == 0 ? 0 : (double)n / rowTotal[row];
            // diagonal in blue, errors in red, so a bright off-diagonal cell jumps out
            string colour = row == col ? $"rgba(40,110,200,{0.15 + 0.85 * share:F2})" : $"rgba(210,50,40,{Math.Min(1, 0.25 + 1.5 * share):F2})";
            sb.Append(string.Create(CultureInfo.InvariantCulture,
                $"<rect x=\"{margin + col * cell}\" y=\"{margin + row * cell}\" width=\"{cell}\" height=\"{cell}\" fill=\"{colour}\"><title>{E(labels[row])} → {E(labels[col])}: {n} of {rowTotal[row]}</title></rect>"));
        }

        if (showNames)
        {
            for (int i = 0; i < k; i++)
            {
                string name = E(labels[i].Length > 22 ? labels[i][..21] + "…" : labels[i]);
                sb.Append($"<text x=\"{margin - 3}\" y=\"{margin + i * cell + cell - 2}\" text-anchor=\"end\">{name}</text>");
                int x = margin + i * cell + cell - 2;
                sb.Append($"<text x=\"{x}\" y=\"{margin - 3}\" transform=\"rotate(-60 {x} {margin - 3})\">{name}</text>");
            }
        }

        sb.Append("</svg>");
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);
    private static string F(double v) => v.ToString("F3", CultureInfo.InvariantCulture);
    private static string P(double v) => (v * 100).ToString("F2", CultureInfo.InvariantCulture) + " %";
}
