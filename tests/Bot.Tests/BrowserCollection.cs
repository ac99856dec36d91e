namespace BotEngine.Bot.Tests;

/// <summary>
/// The browser tests, one at a time: each Chromium takes most of a core, so two at once would starve the engines they
/// drive. The collection still runs beside the in-process test classes.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection
{
    public const string Name = "Browser";
}
