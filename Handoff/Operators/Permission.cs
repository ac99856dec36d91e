using System.Collections.Frozen;

namespace BotEngine.Handoff;

/// <summary>What an operator may do; every API endpoint names the one (or ones) it needs.</summary>
public enum Permission
{
    /// <summary>Work with clients: go online, be offered dialogs, accept, reply, close.</summary>
    HandleDialogs,
    /// <summary>See the client's other dialogs and the callback requests (client data beyond the held dialog).</summary>
    ViewClient,
    ViewKb,
    ModifyKnowledgebase,
    ViewUsers,
    ModifyUsers,
    ViewMonitoring,
    ViewDialogsSearch,
    ViewRerouteBtn,
    SendFiles,
    SendPics,
    ModifyConfiguration,
    ModifyUserDissatisfaction,
    ChangePassword,
    /// <summary>Edit client profiles (contact fields, custom fields, tags, test flag) and merge two profiles.</summary>
    ModifyClients,
    /// <summary>Make deep links that attach a new channel to a client's profile.</summary>
    ViewDeeplinking,
    /// <summary>Read statistics (dialogs, operators' figures) and download them.</summary>
    ViewStat,
}

/// <summary>The stable snake_case names used in the API and in storage.</summary>
public static class PermissionNames
{
    private static readonly FrozenDictionary<Permission, string> ToNameMap = new Dictionary<Permission, string>
    {
        [Permission.HandleDialogs] = "handle_dialogs",
        [Permission.ViewClient] = "view_client",
        [Permission.ViewKb] = "view_kb",
        [Permission.ModifyKnowledgebase] = "modify_knowledgebase",
        [Permission.ViewUsers] = "view_users",
        [Permission.ModifyUsers] = "modify_users",
        [Permission.ViewMonitoring] = "view_monitoring",
        [Permission.ViewDialogsSearch] = "view_dialogs_search",
        [Permission.ViewRerouteBtn] = "view_reroute_btn",
        [Permission.SendFiles] = "send_files",
        [Permission.SendPics] = "send_pics",
        [Permission.ModifyConfiguration] = "modify_configuration",
        [Permission.ModifyUserDissatisfaction] = "modify_user_dissatisfaction",
        [Permission.ChangePassword] = "change_password",
        [Permission.ModifyClients] = "modify_clients",
        [Permission.ViewDeeplinking] = "view_deeplinking",
        [Permission.ViewStat] = "view_stat",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, Permission> FromNameMap =
        ToNameMap.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    /// <summary>Every permission name, in the enum's order.</summary>
    public static IReadOnlyList<string> All { get; } = Enum.GetValues<Permission>().Select(p => ToNameMap[p]).ToArray();

    /// <summary>What a newly created operator may do unless told otherwise: serve clients, read the KB, transfer, send files.</summary>
    public static IReadOnlyList<string> OperatorDefault { get; } = new[]
    {
        Permission.HandleDialogs, Permission.ViewClient, Permission.ViewKb, Permission.ViewRerouteBtn,
        Permission.SendFiles, Permission.SendPics, Permission.ChangePassword,
    }.Select(p => ToNameMap[p]).ToArray();

    public static string ToName(this Permission permission) => ToNameMap[permission];

    public static bool TryParse(string name, out Permission permission) => FromNameMap.TryGetValue(name, out permission);

    public static Permission Parse(string name) =>
        TryParse(name, out var p) ? p : throw new ArgumentException($"Unknown permission '{name}'.", nameof(name));
}

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
