namespace BotEngine.Engine.Clients;

/// <summary>A profile request the engine refuses: the message names the field; the code lets pages translate it.</summary>
public sealed class ClientProfileException(string message, string code, int statusCode = 400) : Exception(message)
{
    public string Code { get; } = code;

    public int StatusCode { get; } = statusCode;

    public static ClientProfileException NotFound(string id) => new($"Client '{id}' does not exist.", "client.not_found", 404);
}
