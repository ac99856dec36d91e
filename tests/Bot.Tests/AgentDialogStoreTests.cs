using BotEngine.Storage;
using BotEngine.Storage.Agents;
using BotEngine.Storage.DirectLine;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace BotEngine.Bot.Tests;

/// <summary>
/// Storage reads no flow test looks at directly: what the agent path reads of a dialog (the client's name goes into
/// every agent event) and whether a Direct Line conversation exists.
/// </summary>
public sealed class AgentDialogStoreTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task The_agent_path_reads_the_dialog_its_conversation_and_its_clients_name(StorageKind storage)
    {
        await TestDatabases.WithEmptyDatabaseAsync(storage, async database =>
        {
            await new SchemaMigrator(database, NullLogger<SchemaMigrator>.Instance).MigrateAsync(None);
            await database.WriteAsync((c, t) => c.ExecuteAsync("""
                INSERT INTO clients (id, display_name, language, created_at) VALUES ('client-1', 'Анна', 'ru', 1), ('client-2', NULL, 'en', 1);
                INSERT INTO dialogs (id, client_id, conversation_id, channel, state, language, opened_at, bot_state, last_message_at, version)
                VALUES ('dialog-1', 'client-1', 'conversation-2', 'directline', 'bot', 'ru', 1, '{"externalAgentId":"weather"}', 5, 3);
                """, transaction: t), None);
            var store = new AgentDialogStore(database);

            var dialog = await store.FindAsync("dialog-1", None);
            Assert.NotNull(dialog);
            Assert.Equal(("client-1", "conversation-2", "bot", 3L), (dialog.ClientId, dialog.ConversationId, dialog.State, dialog.Version));
            Assert.Contains("weather", dialog.BotState, StringComparison.Ordinal);
            Assert.Null(await store.FindAsync("dialog-9", None));

            Assert.Equal("conversation-2", await store.ConversationIdAsync("dialog-1", None));
            Assert.Null(await store.ConversationIdAsync("dialog-9", None));

            Assert.Equal("Анна", await store.ClientNameAsync("client-1", None));
            Assert.Null(await store.ClientNameAsync("client-2", None));
            Assert.Null(await store.ClientNameAsync("client-9", None));
        });
    }

    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task A_direct_line_conversation_exists_once_created_and_only_on_its_channel(StorageKind storage)
    {
        await TestDatabases.WithEmptyDatabaseAsync(storage, async database =>
        {
            await new SchemaMigrator(database, NullLogger<SchemaMigrator>.Instance).MigrateAsync(None);
            var conversations = new DirectLineConversations(database, TimeProvider.System);
            Assert.False(await conversations.ExistsAsync("c-1", None));

            await conversations.CreateAsync("c-1", null, None);
            await database.WriteAsync((c, t) => c.ExecuteAsync(
                "INSERT INTO conversations (id, channel, account_id, created_at) VALUES ('c-2', 'other', 'u-2', 1)", transaction: t), None);

            Assert.True(await conversations.ExistsAsync("c-1", None));
            Assert.False(await conversations.ExistsAsync("c-2", None));
            Assert.Equal(("c-1", (string?)null), await conversations.FindAsync("c-1", None));
            Assert.Equal(((string?)null, (string?)null), await conversations.FindAsync("c-2", None));
            Assert.Equal("u-1", await conversations.BindUserAsync("c-1", "u-1", None));
            Assert.Equal("u-1", await conversations.BindUserAsync("c-1", "u-3", None));
        });
    }
}
