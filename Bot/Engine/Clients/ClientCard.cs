using BotEngine.Storage.Clients;

namespace BotEngine.Engine.Clients;

/// <summary>What the operator's client card shows: the profile, its channel accounts and its dialogs, newest first.</summary>
public sealed record ClientCard(ClientProfile Profile, IReadOnlyList<ClientAccountRow> Accounts, IReadOnlyList<ClientDialogRow> Dialogs);
