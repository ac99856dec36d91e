namespace BotEngine.Handoff;

/// <summary>An operator as the handoff core sees it: identity, roles and routing settings.</summary>
public sealed record OperatorProfile(string Id, string Name, IReadOnlyList<Role> Roles, RoutingProfile Routing, string? PositionName = null)
{
    private IReadOnlySet<Permission>? _permissions;

    /// <summary>The union of all roles' permissions.</summary>
    public IReadOnlySet<Permission> Permissions => _permissions ??= Roles.SelectMany(r => r.Permissions).ToHashSet();

    public bool Has(Permission permission) => Permissions.Contains(permission);

    /// <summary>The guard the API runs on every call.</summary>
    public HandoffResult<OperatorProfile> Require(Permission permission) =>
        Has(permission)
            ? this
            : HandoffError.Forbidden("permission.denied", $"Operator '{Id}' lacks permission '{permission.ToName()}'.");
}
