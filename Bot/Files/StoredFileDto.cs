namespace BotEngine.Bot.Files;

public sealed record StoredFileDto(string Id, string Name, string ContentType, long Size, string Sha256, string Url, string Path);
