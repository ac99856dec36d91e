namespace BotEngine.Bot.Api;

/// <summary>A page of the audit log, newest first; <c>nextCursor</c> continues with older changes.</summary>
public sealed record AuditPageDto(IReadOnlyList<AuditEntryDto> Entries, string? NextCursor);
