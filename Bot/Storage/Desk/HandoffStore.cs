using System.Data.Common;
using System.Text.Json;
using BotEngine.Conversations;
using BotEngine.Handoff;
using BotEngine.Storage.Dialogs;
using Dapper;
using HandoffDialog = BotEngine.Handoff.Dialog;

namespace BotEngine.Storage.Desk;

/// <summary>
/// Maps the routing core's dialogs and operators to rows: the handoff part of a dialog (requirements, notes,
/// closing) is JSON, and the columns that lists and queries need are kept in step on every save. Also the desk's
/// other reads and writes of a dialog row and its events, all in the caller's transaction.
/// </summary>
public static class HandoffStore
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static HandoffDialog ToDialog(StoredDialog row)
    {
        var stored = row.Handoff is null ? new StoredHandoff() : JsonSerializer.Deserialize<StoredHandoff>(row.Handoff, Json) ?? new StoredHandoff();
        return new HandoffDialog
        {
            Id = row.Id,
            ClientId = row.ClientId,
            State = DialogStates.Parse(row.State),
            OperatorId = row.OperatorId,
            LastOperatorId = stored.LastOperatorId,
            Requirements = stored.Requirements ?? RoutingRequirements.Create(callCentre: row.CallCentre, language: row.Language, line: row.Line),
            CreatedAt = TimeExtensions.FromMicros(row.OpenedAt),
            QueuedAt = Optional(row.QueuedAt),
            AssignedAt = Optional(row.AssignedAt),
            AcceptedAt = Optional(row.AcceptedAt),
            PendingNote = stored.PendingNote,
            Closing = stored.Closing,
            Version = row.Version,
        };
    }

    /// <summary>Saves a transition if nobody changed the dialog since it was read; false on a lost race.</summary>
    public static async Task<bool> SaveAsync(DbConnection c, DbTransaction t, DialogTransition transition, long expectedVersion)
    {
        var batch = SqlBatch.For(c);
        var saved = AddSave(batch, transition, expectedVersion);
        return IsSaved(await batch.ExecuteAsync(c, t), saved);
    }

    /// <summary>
    /// Adds a versioned save of a transition and its event to a batch; <see cref="IsSaved"/> tells from the batch's
    /// result whether it matched. The event is written exactly when the update matched.
    /// </summary>
    public static int AddSave(SqlBatch batch, DialogTransition transition, long expectedVersion)
    {
        var d = transition.Dialog;
        var handoff = JsonSerializer.Serialize(new StoredHandoff
        {
            LastOperatorId = d.LastOperatorId,
            Requirements = d.Requirements,
            PendingNote = d.PendingNote,
            Closing = d.Closing,
        }, Json);
        var (kind, operatorId, data) = EventRow(transition.Event);
        var parameters = new SaveParameters(
            DialogStates.Name(d.State), d.OperatorId, d.Requirements.Line, d.Requirements.CallCentre, d.Requirements.Priority,
            Micros(d.QueuedAt), Micros(d.AssignedAt), Micros(d.AcceptedAt), Micros(d.Closing?.At),
            d.Closing is null ? null : d.Closing.ClosedBy ?? d.Closing.Reason.ToString().ToLowerInvariant(),
            d.Closing?.Topic, d.Closing?.ClientDissatisfied is { } b ? (b ? 1 : 0) : null,
            handoff, d.Version, d.Id, expectedVersion, kind, operatorId, TimeExtensions.ToMicros(transition.Event.At), data);
        const string update = """
            UPDATE dialogs SET state = @State, operator_id = @OperatorId, line = @Line, call_centre = @CallCentre, priority = @Priority,
                   queued_at = @QueuedAt, assigned_at = @AssignedAt, accepted_at = @AcceptedAt,
                   closed_at = @ClosedAt, closed_by = @ClosedBy, close_topic = @Topic, client_dissatisfied = @Dissatisfied,
                   handoff = @Handoff, version = @Version
            WHERE id = @Id AND version = @ExpectedVersion
            """;
        const string record = "INSERT INTO dialog_events (dialog_id, kind, operator_id, at, data)";
        if (batch.IsPostgres)
            return batch.Add($"WITH u AS ({update} RETURNING id) {record} SELECT id, @Kind, @EventOperatorId, @At, @Data FROM u", parameters);
        batch.Add(update, parameters);
        // changes() is the update's row count: the statements run one after the other on the one SQLite connection.
        return batch.Add($"{record} SELECT @Id, @Kind, @EventOperatorId, @At, @Data WHERE changes() = 1", parameters);
    }

    public static bool IsSaved(int[] affected, int index) => affected[index] == 1;

    private sealed record SaveParameters(
        string State, string? OperatorId, string? Line, string? CallCentre, int Priority,
        long? QueuedAt, long? AssignedAt, long? AcceptedAt, long? ClosedAt, string? ClosedBy, string? Topic, int? Dissatisfied,
        string Handoff, long Version, string Id, long ExpectedVersion, string Kind, string? EventOperatorId, long At, string Data);

    public static Task RecordAsync(DbConnection c, DbTransaction t, DialogEvent e)
    {
        var (kind, operatorId, data) = EventRow(e);
        return c.ExecuteAsync("INSERT INTO dialog_events (dialog_id, kind, operator_id, at, data) VALUES (@DialogId, @kind, @operatorId, @at, @data)",
            new { e.DialogId, kind, operatorId, at = TimeExtensions.ToMicros(e.At), data }, t);
    }

    private static (string Kind, string? OperatorId, string Data) EventRow(DialogEvent e)
    {
        var (kind, operatorId) = e switch
        {
            DialogEvent.Queued => ("queued", (string?)null),
            DialogEvent.Assigned a => ("assigned", a.OperatorId),
            DialogEvent.Accepted a => ("accepted", a.OperatorId),
            DialogEvent.Replied r => ("replied", r.OperatorId),
            DialogEvent.Transferred tr => ("transferred", tr.FromOperatorId),
            DialogEvent.Requeued r => ("requeued", r.FromOperatorId),
            DialogEvent.Detached d => ("detached", d.FromOperatorId),
            DialogEvent.Reattached r => ("reattached", r.PreferredOperatorId),
            DialogEvent.Closed cl => ("closed", cl.Info.ClosedBy),
            _ => (e.GetType().Name.ToLowerInvariant(), null),
        };
        return (kind, operatorId, JsonSerializer.Serialize<object>(e, Json));
    }

    public static Task<StoredDialog?> LoadRowAsync(DbConnection c, DbTransaction? t, string dialogId) =>
        DialogReads.FindAsync(c, dialogId, t);

    /// <summary>The dialogs an operator holds now (assigned or active).</summary>
    public static async Task<List<string>> HeldDialogIdsAsync(DbConnection c, DbTransaction? t, string operatorId) =>
        (await c.QueryAsync<string>(
            "SELECT id FROM dialogs WHERE operator_id = @operatorId AND state IN ('assigned', 'active')", new { operatorId }, t)).AsList();

    public static Task SetLastMessageAtAsync(DbConnection c, DbTransaction t, string dialogId, long createdAt) =>
        c.ExecuteAsync("UPDATE dialogs SET last_message_at = @CreatedAt WHERE id = @DialogId", new { CreatedAt = createdAt, DialogId = dialogId }, t);

    /// <summary>Replaces the bot's memory of the dialog (JSON).</summary>
    public static Task SetBotStateAsync(DbConnection c, DbTransaction t, string dialogId, string botState) =>
        c.ExecuteAsync("UPDATE dialogs SET bot_state = @botState WHERE id = @dialogId", new { botState, dialogId }, t);

    /// <summary>The client's previous operators, most recent first, for "the same operator again" routing.</summary>
    public static async Task<IReadOnlyList<string>> PreviousOperatorsAsync(DbConnection c, DbTransaction t, string clientId) =>
        (await c.QueryAsync<string>("""
            SELECT e.operator_id FROM dialog_events e JOIN dialogs d ON d.id = e.dialog_id
            WHERE d.client_id = @clientId AND e.kind = 'assigned' AND e.operator_id IS NOT NULL
            ORDER BY e.at DESC LIMIT 20
            """, new { clientId }, t)).Distinct().ToList();

    public static OperatorProfile ToProfile(OperatorRow row)
    {
        var permissions = row.Permissions.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => PermissionNames.TryParse(p, out var x) ? x : (Permission?)null).OfType<Permission>().ToHashSet();
        return new OperatorProfile(row.Id, row.DisplayName, [new Role("assigned", permissions)], Routing(row), row.Position);
    }

    public static RoutingProfile Routing(OperatorRow row) =>
        (row.Routing is null ? null : JsonSerializer.Deserialize<RoutingProfile>(row.Routing, Json)) is { } profile
            ? profile with { MaxConcurrentDialogs = row.MaxDialogs }
            : RoutingProfile.Create(maxConcurrentDialogs: row.MaxDialogs);

    public static OperatorStatus Status(OperatorRow row) => OperatorStatusNames.TryParse(row.Status, out var s) ? s : OperatorStatus.Offline;

    private static DateTimeOffset? Optional(long? micros) => micros is { } m ? TimeExtensions.FromMicros(m) : null;

    private static long? Micros(DateTimeOffset? value) => value is { } v ? TimeExtensions.ToMicros(v) : null;

    private sealed class StoredHandoff
    {
        public string? LastOperatorId { get; set; }
        public RoutingRequirements? Requirements { get; set; }
        public TransferNote? PendingNote { get; set; }
        public ClosingInfo? Closing { get; set; }
    }
}
