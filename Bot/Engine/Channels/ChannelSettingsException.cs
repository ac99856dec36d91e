namespace BotEngine.Engine.Channels;

/// <summary>A channel configuration the engine refuses; the message names the field (a 400, or a 404 for an unknown channel).</summary>
public sealed class ChannelSettingsException(string message, int statusCode = 400) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}
