namespace BotEngine.Engine.Learning;

/// <summary>
/// Which registry model the live classifier comes from (null: none promoted yet, the KB phrasings alone) and the newest
/// stored example it learned, so a retrain after a KB change keeps the same labels.
/// </summary>
public sealed record LiveModel(string? ModelId, long ExamplesThrough)
{
    public static readonly LiveModel KbOnly = new(null, 0);
}
