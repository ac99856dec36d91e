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
