using System.Data.Common;
using Dapper;

namespace BotEngine.Storage.Clients;

/// <summary>The statements of client profiles: search, the card (accounts and dialogs), edits with their history, and merges.</summary>
public sealed class ClientStore(Database database)
{
    private const string Columns = """
        id, display_name, language, first_name, last_name, phone, email, contract, fields, tags, verified,
        CASE WHEN EXISTS (SELECT 1 FROM test_clients tc WHERE tc.client_id = clients.id) THEN 1 ELSE 0 END AS is_test,
        created_at, updated_at, merged_into, search_text
        """;

    /// <summary>
    /// Profiles whose name, phone, e-mail or contract contains <paramref name="text"/> (already lower case), newest
    /// first, after the cursor (an id: ids sort by creation). Merged-away profiles are left out.
    /// </summary>
    public async Task<IReadOnlyList<ClientRow>> SearchAsync(string? text, string? afterId, int limit, CancellationToken cancellationToken)
    {
        var where = new List<string> { "merged_into IS NULL" };
        if (!string.IsNullOrEmpty(text))
            where.Add(@"search_text LIKE @pattern ESCAPE '\'");
        if (afterId is not null)
            where.Add("id < @afterId");
        var pattern = "%" + (text ?? "").Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal) + "%";
        return (await database.ReadAsync(c => c.QueryAsync<ClientRow>(
            $"SELECT {Columns} FROM clients WHERE {string.Join(" AND ", where)} ORDER BY id DESC LIMIT @limit",
            new { pattern, afterId, limit }), cancellationToken)).AsList();
    }

    public Task<ClientRow?> FindAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync(c => FindAsync(c, null, id), cancellationToken);

    private static Task<ClientRow?> FindAsync(DbConnection c, DbTransaction? t, string id) =>
        c.QuerySingleOrDefaultAsync<ClientRow>($"SELECT {Columns} FROM clients WHERE id = @id", new { id }, t);

    public async Task<IReadOnlyList<ClientAccountRow>> AccountsAsync(string clientId, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<ClientAccountRow>("""
            SELECT a.channel, ch.type AS channel_type, a.account_id, a.display_name, a.created_at,
                   (SELECT v.id FROM conversations v WHERE v.channel = a.channel AND v.account_id = a.account_id ORDER BY v.created_at DESC LIMIT 1) AS conversation_id
            FROM channel_accounts a LEFT JOIN channels ch ON ch.id = a.channel
            WHERE a.client_id = @clientId ORDER BY a.created_at, a.channel
            """, new { clientId }), cancellationToken)).AsList();

    public async Task<IReadOnlyList<ClientDialogRow>> DialogsAsync(string clientId, int limit, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<ClientDialogRow>("""
            SELECT id, channel, conversation_id, state, operator_id, opened_at, closed_at, close_topic, rating, rating_comment
            FROM dialogs WHERE client_id = @clientId ORDER BY opened_at DESC LIMIT @limit
            """, new { clientId, limit }), cancellationToken)).AsList();

    public async Task<IReadOnlyList<ClientChangeRow>> ChangesAsync(string clientId, int limit, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<ClientChangeRow>(
            "SELECT id, client_id, at, actor, kind, before, after, other_client_id FROM client_changes WHERE client_id = @clientId ORDER BY at DESC, id DESC LIMIT @limit",
            new { clientId, limit }), cancellationToken)).AsList();

    /// <summary>Profiles changed after <paramref name="since"/>, oldest change first, merged-away ones included (they say where they went).</summary>
    public async Task<IReadOnlyList<ClientRow>> ChangedSinceAsync(long since, string? afterId, int limit, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<ClientRow>(
            $"SELECT {Columns} FROM clients WHERE updated_at > @since OR (updated_at = @since AND id > @afterId) ORDER BY updated_at, id LIMIT @limit",
            new { since, afterId = afterId ?? "", limit }), cancellationToken)).AsList();

    /// <summary>Other live profiles with this normalised contact value in <paramref name="column"/> (phone, email or contract).</summary>
    public async Task<IReadOnlyList<ClientRow>> FindByContactAsync(DbConnection c, DbTransaction t, string column, string value, string exceptId)
    {
        if (column is not ("phone" or "email" or "contract"))
            throw new ArgumentOutOfRangeException(nameof(column), column, "Not a contact column.");
        return (await c.QueryAsync<ClientRow>(
            $"SELECT {Columns} FROM clients WHERE {column} = @value AND id <> @exceptId AND merged_into IS NULL ORDER BY id",
            new { value, exceptId }, t)).AsList();
    }

    /// <summary>The channel of one of the client's conversations, or null when the conversation is not theirs.</summary>
    public static Task<string?> ConversationChannelAsync(DbConnection c, DbTransaction t, string conversationId, string clientId) =>
        c.ExecuteScalarAsync<string?>("SELECT channel FROM conversations WHERE id = @conversationId AND client_id = @clientId", new { conversationId, clientId }, t);

    /// <summary>Writes the profile's editable columns and records the change; false when the profile is gone or merged away.</summary>
    public static async Task<bool> UpdateAsync(DbConnection c, DbTransaction t, ClientRow row, ClientChangeRow change)
    {
        var updated = await c.ExecuteAsync("""
            UPDATE clients SET display_name = @DisplayName, first_name = @FirstName, last_name = @LastName, phone = @Phone,
              email = @Email, contract = @Contract, fields = @Fields, tags = @Tags, verified = @Verified,
              updated_at = @UpdatedAt, search_text = @SearchText
            WHERE id = @Id AND merged_into IS NULL
            """, row, t);
        if (updated == 0)
            return false;
        if (row.IsTest != 0)
            await c.ExecuteAsync("""
                INSERT INTO test_clients (client_id, marked_by, marked_at) VALUES (@Id, @Actor, @At) ON CONFLICT (client_id) DO NOTHING
                """, new { row.Id, change.Actor, change.At }, t);
        else
            await c.ExecuteAsync("DELETE FROM test_clients WHERE client_id = @Id", new { row.Id }, t);
        await InsertChangeAsync(c, t, change);
        return true;
    }

    public static Task InsertChangeAsync(DbConnection c, DbTransaction t, ClientChangeRow change) =>
        c.ExecuteAsync("""
            INSERT INTO client_changes (id, client_id, at, actor, kind, before, after, other_client_id)
            VALUES (@Id, @ClientId, @At, @Actor, @Kind, @Before, @After, @OtherClientId)
            """, change, t);

    /// <summary>Reads a profile inside a write (locking it on PostgreSQL).</summary>
    public Task<ClientRow?> LockAsync(DbConnection c, DbTransaction t, string id) =>
        c.QuerySingleOrDefaultAsync<ClientRow>($"SELECT {Columns} FROM clients WHERE id = @id{database.ForUpdate}", new { id }, t);

    /// <summary>Dialogs still open of either client.</summary>
    public static Task<long> OpenDialogsAsync(DbConnection c, DbTransaction t, string first, string second) =>
        c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM dialogs WHERE client_id IN (@first, @second) AND state <> 'closed'", new { first, second }, t);

    /// <summary>
    /// Moves the source profile's accounts, conversations and dialogs to the target, writes the target's merged values
    /// and marks the source as merged into it. Both profiles' change records keep the profiles as they were.
    /// </summary>
    public static async Task MergeAsync(DbConnection c, DbTransaction t, ClientRow mergedTarget, string sourceId, long now, ClientChangeRow targetChange, ClientChangeRow sourceChange)
    {
        var target = mergedTarget.Id;
        await c.ExecuteAsync("UPDATE channel_accounts SET client_id = @target WHERE client_id = @sourceId", new { target, sourceId }, t);
        await c.ExecuteAsync("UPDATE conversations SET client_id = @target WHERE client_id = @sourceId", new { target, sourceId }, t);
        await c.ExecuteAsync("UPDATE dialogs SET client_id = @target WHERE client_id = @sourceId", new { target, sourceId }, t);
        await c.ExecuteAsync("UPDATE clients SET merged_into = @target, updated_at = @now WHERE id = @sourceId", new { target, sourceId, now }, t);
        await UpdateAsync(c, t, mergedTarget, targetChange);
        await InsertChangeAsync(c, t, sourceChange);
    }

    public async Task<IReadOnlyList<ClientFieldDefinitionRow>> FieldDefinitionsAsync(CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<ClientFieldDefinitionRow>(
            "SELECT name, type, title_ru, title_en, position FROM client_field_definitions ORDER BY position, name"), cancellationToken)).AsList();

    /// <summary>Replaces the whole list of custom field definitions (values already stored stay in the profiles).</summary>
    public Task ReplaceFieldDefinitionsAsync(IReadOnlyList<ClientFieldDefinitionRow> definitions, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync("DELETE FROM client_field_definitions", transaction: t);
            foreach (var d in definitions)
                await c.ExecuteAsync("INSERT INTO client_field_definitions (name, type, title_ru, title_en, position) VALUES (@Name, @Type, @TitleRu, @TitleEn, @Position)", d, t);
        }, cancellationToken);

    /// <summary>Stores the client's rating on the conversation's last closed dialog; that dialog's id, or null when none is closed.</summary>
    public Task<string?> RateLastClosedDialogAsync(string conversationId, int rating, string? comment, long now, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            var dialogId = await c.ExecuteScalarAsync<string?>(
                "SELECT id FROM dialogs WHERE conversation_id = @conversationId AND state = 'closed' ORDER BY closed_at DESC, id DESC LIMIT 1",
                new { conversationId }, t);
            if (dialogId is not null)
                await c.ExecuteAsync("UPDATE dialogs SET rating = @rating, rating_comment = @comment, rated_at = @now WHERE id = @dialogId",
                    new { dialogId, rating, comment, now }, t);
            return dialogId;
        }, cancellationToken);
}
