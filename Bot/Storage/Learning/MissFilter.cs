namespace BotEngine.Storage.Learning;

/// <summary>Which misses the inbox shows: a period (Unix microseconds, end exclusive), a language and a line (null: any).</summary>
public sealed record MissFilter(long? From, long? To, string? Language, string? Line);
