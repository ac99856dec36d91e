using BotEngine.Handoff;

namespace BotEngine.Engine.Desk;

/// <summary>A request the caller got wrong; the API maps it to a 4xx with this message.</summary>
public sealed class DeskException(int statusCode, string message, string? code = null) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
    public string? Code { get; } = code;

    public static DeskException From(HandoffError error) => new(error.HttpStatus, error.Message, error.Code);
}
