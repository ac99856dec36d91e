namespace BotEngine.Storage.Agents;

/// <summary>A client's name, phone and e-mail from their profile.</summary>
public sealed record AgentClientContact
{
    public string? Name { get; init; }
    public string? Phone { get; init; }
    public string? Email { get; init; }
}
