namespace BotEngine.Storage;

public sealed record OperatorRow
{
    public string Id { get; init; } = "";
    public string Login { get; init; } = "";
    public string DisplayName { get; init; } = "";
    public string PasswordHash { get; init; } = "";
    public string Permissions { get; init; } = "";
    public int MaxDialogs { get; init; }
    public string Status { get; init; } = "";
    public long StatusChangedAt { get; init; }
    public long CreatedAt { get; init; }
    public string? Routing { get; init; }
    public long? IdleSince { get; init; }
    public string? Position { get; init; }
    /// <summary>Signed into every token issued; raising it ends all of the operator's sessions.</summary>
    public long TokenVersion { get; init; }
    /// <summary>Set while the account is disabled: no sign-in, no valid token.</summary>
    public long? DisabledAt { get; init; }

    /// <summary>The stored permission names this build knows; names of permissions since removed are ignored.</summary>
    public IReadOnlyList<string> PermissionNames() =>
        Permissions.Split(',', StringSplitOptions.RemoveEmptyEntries).Where(p => BotEngine.Handoff.PermissionNames.TryParse(p, out _)).ToList();
}
