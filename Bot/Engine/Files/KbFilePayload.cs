namespace BotEngine.Engine.Files;

/// <summary>A stored file as a KB export carries it: metadata and the bytes in base64.</summary>
public sealed record KbFilePayload(string? Id, string? Name, string? ContentType, string? Sha256, string? Data);
