using System.Collections.Frozen;

namespace BotEngine.Handoff;

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
