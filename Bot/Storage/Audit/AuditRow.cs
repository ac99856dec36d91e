namespace BotEngine.Storage.Audit;

/// <summary>A row of <c>audit_log</c>: an operator's change, what area it touched, the request and its (masked) body.</summary>
public sealed record AuditRow
{
    public string Id { get; init; } = "";
    public long At { get; init; }
    public string Actor { get; init; } = "";
    public string? ActorLogin { get; init; }
    public string Area { get; init; } = "";
    public string Action { get; init; } = "";
    public string? Subject { get; init; }
    public string? Detail { get; init; }
}
