namespace BotEngine.Nlu;

/// <summary>Reads <c>text&lt;TAB&gt;intent</c> files (UTF-8, one example a line, the last tab separates the label).</summary>
public static class TsvDataset
{
    public static List<(string Text, string Label)> Read(TextReader reader)
    {
        var rows = new List<(string, string)>();
        string? line;
        int lineNo = 0;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNo++;
            if (line.Length == 0)
            {
                continue;
            }

            int tab = line.LastIndexOf('\t');
            if (tab <= 0 || tab == line.Length - 1)
            {
                throw new FormatException($"line {lineNo}: expected text<TAB>intent");
            }

            rows.Add((line[..tab], line[(tab + 1)..].Trim()));
        }

        return rows;
    }

    public static List<(string Text, string Label)> Read(string path)
    {
        using var r = new StreamReader(path, System.Text.Encoding.UTF8);
        return Read(r);
    }

    public static List<TrainingExample> ToExamples(IEnumerable<(string Text, string Label)> rows)
        => rows.Select(r => new TrainingExample(r.Text, r.Label, ExampleSource.ManualLabel)).ToList();
}
