namespace BotEngine.Handoff;

/// <summary>A named set of permissions (e.g. "operator", "supervisor").</summary>
public sealed record Role(string Name, IReadOnlySet<Permission> Permissions)
{
    public static Role Of(string name, params Permission[] permissions) => new(name, permissions.ToHashSet());

    /// <summary>Builds a role from stored permission names; unknown names are an error, not silently dropped.</summary>
    public static HandoffResult<Role> FromNames(string name, IEnumerable<string> permissionNames)
    {
        var set = new HashSet<Permission>();
        foreach (var n in permissionNames)
        {
            if (!PermissionNames.TryParse(n, out var p))
            {
                return HandoffError.Validation("role.unknown_permission", $"Unknown permission '{n}'.");
            }

            set.Add(p);
        }

        return new Role(name, set);
    }
}
