using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using BotEngine.KnowledgeBase;
using BotEngine.Storage;
using BotEngine.Storage.Learning;

namespace BotEngine.Bot.Web;

/// <summary>
/// A registry model's report as a self-contained HTML page (inline CSS, no scripts), in Russian or English: what it
/// learned, the gate's decision with each check, overall figures against the live model of its time (cross-validation
/// and the frozen evaluation set), per-intent F1 and the most frequent confusions with examples.
/// </summary>
public static class ModelReport
{
    private const string Css = """
        body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;color:#1f2933;max-width:1100px;padding:0 16px}
        h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px}.sub{color:#52606d;margin:0 0 16px}
        table{border-collapse:collapse;margin:4px 0}td,th{padding:4px 10px;border-bottom:1px solid #e4e7eb;text-align:right;vertical-align:top}
        th{background:#f5f7fa;font-weight:600}td.l,th.l{text-align:left}.ok{color:#1d7a46}.bad{color:#b42318;font-weight:600}
        .verdict{display:inline-block;padding:6px 12px;border-radius:6px;font-weight:600}.verdict.promoted{background:#e3f6ea;color:#1d7a46}
        .verdict.rejected{background:#fde8e7;color:#b42318}.verdict.previous{background:#eef1f5;color:#3e4c59}
        .ex{color:#52606d;font-size:12px}.note{color:#52606d;font-size:12px}dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
        dt{color:#52606d}dd{margin:0}code{font-size:12px;word-break:break-all}
        """;

    public static string Render(StoredModel model, KbDocument document, string language)
    {
        var culture = CultureInfo.GetCultureInfo(language == "en" ? "en-US" : "ru-RU");
        string T(string key) => UiStrings.Get(key, language);
        var metrics = JsonNode.Parse(model.Metrics) as JsonObject ?? [];
        var titles = document.Articles.ToDictionary(a => a.Id, a => a.Title, StringComparer.Ordinal);
        string Intent(string id) => id == "oos" ? T("lab.not_an_intent") : titles.TryGetValue(id, out var title) && !string.IsNullOrWhiteSpace(title) ? $"{title} ({id})" : id;
        var created = TimeExtensions.FromMicros(model.CreatedAt).ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

        var sb = new StringBuilder();
        sb.Append("<!doctype html><html lang=\"").Append(language).Append("\"><head><meta charset=\"utf-8\"><title>")
          .Append(E(T("lab.rep.title"))).Append(' ').Append(E(created)).Append("</title><style>").Append(Css).Append("</style></head><body>");
        sb.Append("<h1>").Append(E(T("lab.rep.title"))).Append("</h1><p class=\"sub\">").Append(E(created)).Append(" · ")
          .Append(E(T($"lab.trigger.{model.Trigger}"))).Append(" · <code>").Append(E(model.Id)).Append("</code></p>");

        // What it learned.
        var evaluation = metrics["evaluation"] as JsonObject;
        sb.Append("<dl>");
        Fact(sb, T("lab.rep.kb_revision"), model.KbRevision.ToString(CultureInfo.InvariantCulture));
        Fact(sb, T("lab.rep.kb_examples"), model.KbExamples.ToString(CultureInfo.InvariantCulture));
        Fact(sb, T("lab.rep.labelled"), model.LabelledExamples.ToString(CultureInfo.InvariantCulture));
        Fact(sb, T("lab.rep.eval_size"), evaluation?["size"]?.GetValue<int>().ToString(CultureInfo.InvariantCulture) ?? "0");
        Fact(sb, T("lab.rep.folds"), metrics["folds"]?.ToString() ?? "—");
        sb.Append("</dl>");

        // The gate's decision and its checks.
        sb.Append("<h2>").Append(E(T("lab.rep.decision"))).Append("</h2>");
        var verdict = model.Status switch
        {
            StoredModel.Rejected => "lab.rep.rejected",
            _ when model.Reason.StartsWith("promoted by hand", StringComparison.Ordinal) => "lab.rep.by_hand",
            StoredModel.Promoted => "lab.rep.promoted",
            _ => "lab.rep.previous",
        };
        sb.Append("<p><span class=\"verdict ").Append(E(model.Status)).Append("\">").Append(E(T(verdict))).Append("</span></p>");
        sb.Append("<table><tr><th class=\"l\">").Append(E(T("lab.rep.metric"))).Append("</th><th>").Append(E(T("lab.rep.this_model")))
          .Append("</th><th>").Append(E(T("lab.rep.live_model"))).Append("</th><th>").Append(E(T("lab.rep.change"))).Append("</th></tr>");
        var cv = (metrics["candidate"] as JsonObject, metrics["live"] as JsonObject);
        var ev = (evaluation?["candidate"] as JsonObject, evaluation?["live"] as JsonObject);
        Row(sb, culture, T("lab.rep.cv_in_scope"), cv, "inScopeAccuracy");
        Row(sb, culture, T("lab.rep.cv_kb"), cv, "kbAccuracy");
        Row(sb, culture, T("lab.rep.cv_labels"), cv, "labelAccuracy");
        Row(sb, culture, T("lab.rep.cv_oos"), cv, "oosRecall");
        if (evaluation is not null)
        {
            Row(sb, culture, T("lab.rep.ev_in_scope"), ev, "inScopeAccuracy");
            Row(sb, culture, T("lab.rep.ev_oos"), ev, "oosRecall");
        }
        sb.Append("</table>");
        if (metrics["gate"] is JsonObject gate)
        {
            var note = T("lab.rep.gate_note")
                .Replace("{acc}", ((Number(gate["maxAccuracyDrop"]) ?? 0) * 100).ToString("0.##", culture), StringComparison.Ordinal)
                .Replace("{oos}", ((Number(gate["maxOosRecallDrop"]) ?? 0) * 100).ToString("0.##", culture), StringComparison.Ordinal)
                .Replace("{f1}", (Number(gate["maxIntentF1Drop"]) ?? 0).ToString("0.##", culture), StringComparison.Ordinal)
                .Replace("{support}", gate["minIntentSupport"]?.ToString() ?? "", StringComparison.Ordinal);
            sb.Append("<p class=\"note\">").Append(E(note)).Append("</p>");
        }
        // The gate's own record is English (it is also the registry's reason); the table above says the same in Russian.
        if (language == "en")
            sb.Append("<p class=\"note\">").Append(E(T("lab.rep.reason"))).Append(": <code>").Append(E(model.Reason)).Append("</code></p>");

        // Per intent.
        sb.Append("<h2>").Append(E(T("lab.rep.intents"))).Append("</h2>");
        Intents(sb, culture, metrics["intents"] as JsonArray, T("lab.rep.cv"), Intent, T);
        if (evaluation is not null)
            Intents(sb, culture, evaluation["intents"] as JsonArray, T("lab.rep.ev"), Intent, T);

        // Confusions.
        sb.Append("<h2>").Append(E(T("lab.rep.confusions"))).Append("</h2>");
        Confusions(sb, metrics["confusions"] as JsonArray, T("lab.rep.cv"), Intent, T);
        if (evaluation is not null)
            Confusions(sb, evaluation["confusions"] as JsonArray, T("lab.rep.ev"), Intent, T);
        sb.Append("</body></html>");
        return sb.ToString();
    }

    private static void Fact(StringBuilder sb, string name, string value) =>
        sb.Append("<dt>").Append(E(name)).Append("</dt><dd>").Append(E(value)).Append("</dd>");

    private static void Row(StringBuilder sb, CultureInfo culture, string name, (JsonObject? Candidate, JsonObject? Live) scores, string field)
    {
        var c = Number(scores.Candidate?[field]);
        var l = Number(scores.Live?[field]);
        if (c is null && l is null)
            return;
        var delta = c is { } a && l is { } b ? a - b : (double?)null;
        sb.Append("<tr><td class=\"l\">").Append(E(name)).Append("</td><td>").Append(Percent(c, culture)).Append("</td><td>").Append(Percent(l, culture))
          .Append("</td><td class=\"").Append(delta < -0.0005 ? "bad" : delta > 0.0005 ? "ok" : "").Append("\">")
          .Append(delta is { } d ? (d >= 0 ? "+" : "−") + (Math.Abs(d) * 100).ToString("0.0", culture) : "—").Append("</td></tr>");
    }

    private static void Intents(StringBuilder sb, CultureInfo culture, JsonArray? intents, string caption, Func<string, string> name, Func<string, string> t)
    {
        sb.Append("<p><b>").Append(E(caption)).Append("</b></p>");
        if (intents is not { Count: > 0 })
        {
            sb.Append("<p class=\"note\">").Append(E(t("lab.rep.none"))).Append("</p>");
            return;
        }
        sb.Append("<table><tr><th class=\"l\">").Append(E(t("lab.rep.intent"))).Append("</th><th>").Append(E(t("lab.rep.support")))
          .Append("</th><th>F1</th><th>").Append(E(t("lab.rep.live_f1"))).Append("</th><th>").Append(E(t("lab.rep.change"))).Append("</th></tr>");
        foreach (var item in intents.OfType<JsonObject>())
        {
            var delta = Number(item["delta"]) ?? 0;
            sb.Append("<tr><td class=\"l\">").Append(E(name(item["intent"]?.GetValue<string>() ?? ""))).Append("</td><td>")
              .Append(item["support"]?.GetValue<int>() ?? 0).Append("</td><td>").Append(Fixed(Number(item["candidate"]), culture)).Append("</td><td>")
              .Append(Fixed(Number(item["live"]), culture)).Append("</td><td class=\"").Append(delta < -0.005 ? "bad" : delta > 0.005 ? "ok" : "").Append("\">")
              .Append(delta >= 0 ? "+" : "−").Append(Fixed(Math.Abs(delta), culture)).Append("</td></tr>");
        }
        sb.Append("</table>");
    }

    private static void Confusions(StringBuilder sb, JsonArray? confusions, string caption, Func<string, string> name, Func<string, string> t)
    {
        sb.Append("<p><b>").Append(E(caption)).Append("</b></p>");
        if (confusions is not { Count: > 0 })
        {
            sb.Append("<p class=\"note\">").Append(E(t("lab.rep.no_confusions"))).Append("</p>");
            return;
        }
        sb.Append("<table><tr><th class=\"l\">").Append(E(t("lab.rep.true_intent"))).Append("</th><th class=\"l\">").Append(E(t("lab.rep.answered")))
          .Append("</th><th>").Append(E(t("lab.rep.times"))).Append("</th><th class=\"l\">").Append(E(t("lab.rep.examples"))).Append("</th></tr>");
        foreach (var item in confusions.OfType<JsonObject>())
        {
            var examples = (item["examples"] as JsonArray)?.Select(e => e?.GetValue<string>() ?? "") ?? [];
            sb.Append("<tr><td class=\"l\">").Append(E(name(item["intent"]?.GetValue<string>() ?? ""))).Append("</td><td class=\"l\">")
              .Append(E(name(item["answer"]?.GetValue<string>() ?? ""))).Append("</td><td>").Append(item["count"]?.GetValue<int>() ?? 0)
              .Append("</td><td class=\"l ex\">").Append(string.Join("<br>", examples.Select(x => "«" + E(x) + "»"))).Append("</td></tr>");
        }
        sb.Append("</table>");
    }

    private static double? Number(JsonNode? node) => node is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;

    private static string Percent(double? value, CultureInfo culture) => value is { } v ? (v * 100).ToString("0.0", culture) + " %" : "—";

    private static string Fixed(double? value, CultureInfo culture) => value is { } v ? v.ToString("0.00", culture) : "—";

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
