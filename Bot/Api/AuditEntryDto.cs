namespace BotEngine.Bot.Api;

/// <summary>One change in the audit log: when, who (id and login), the area, the request and its body with secrets masked.</summary>
public sealed record AuditEntryDto(string Id, DateTimeOffset At, string ActorId, string? ActorLogin, string Area, string Action, string? Subject, string? Detail);
