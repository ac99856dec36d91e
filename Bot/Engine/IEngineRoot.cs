namespace BotEngine.Engine;

/// <summary>
/// The engine's own root URL when no public base URL is configured, for the links it hands out (file links, agent
/// callbacks). The host knows it: the address it listens on.
/// </summary>
public interface IEngineRoot
{
    /// <summary>An absolute URL without a trailing slash.</summary>
    string Root();
}
