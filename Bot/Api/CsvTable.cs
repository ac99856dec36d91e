using System.Globalization;
using System.Text;

namespace BotEngine.Bot.Api;

/// <summary>
/// A table as CSV for spreadsheets: UTF-8 with a byte order mark (without it Excel reads Cyrillic as a legacy code
/// page), comma separated, CRLF lines, fields quoted when they hold a comma, quote or line break, numbers invariant.
/// </summary>
public sealed class CsvTable(IReadOnlyList<string> header)
{
    private readonly StringBuilder _text = new StringBuilder().AppendJoin(',', header.Select(Field)).Append("\r\n");

    public CsvTable Row(params object?[] cells)
    {
        _text.AppendJoin(',', cells.Select(c => Field(c switch
        {
            null => "",
            double d => d.ToString("0.###", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => Text(c.ToString() ?? ""),
        }))).Append("\r\n");
        return this;
    }

    public IResult ToResult(string fileName) =>
        Results.File([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(_text.ToString())], "text/csv; charset=utf-8", fileName);

    public override string ToString() => _text.ToString();

    // A text cell a spreadsheet would run as a formula (a name or topic typed as "=HYPERLINK(...)") is kept as text.
    private static string Text(string value) => value.Length > 0 && "=+-@\t\r".Contains(value[0]) ? "'" + value : value;

    private static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
