using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BotEngine.Storage;
using Dapper;
using Microsoft.Data.Sqlite;

namespace BotEngine.Bot.Tests;

/// <summary>A database made by the first schema version, with a conversation in it, is upgraded at start and loses nothing.</summary>
public sealed class SchemaUpgradeTests
{
    [Fact]
    public async Task A_version_1_database_is_upgraded_in_place_with_its_data()
    {
        var dataDir = TestDatabases.NewTempDir();
        try
        {
            var file = Path.Combine(dataDir, "botengine.db");
            await using (var connection = new SqliteConnection($"Data Source={file};Pooling=False"))
            {
                await connection.OpenAsync();
                var (version, name, sql) = SchemaMigrator.Scripts.Single(s => s.Version == 1);
                await connection.ExecuteAsync(sql);
                await connection.ExecuteAsync("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
                await connection.ExecuteAsync("INSERT INTO schema_migrations VALUES (@version, @name, 0)", new { version, name });
                await connection.ExecuteAsync("""
                    INSERT INTO clients (id, display_name, created_at) VALUES ('client-1', 'Ирина', 1);
                    INSERT INTO conversations (id, channel, account_id, client_id, created_at, next_seq) VALUES ('conv-1', 'directline', 'user-1', 'client-1', 1, 1);
                    INSERT INTO channel_accounts (channel, account_id, client_id, created_at) VALUES ('directline', 'user-1', 'client-1', 1);
                    INSERT INTO dialogs (id, client_id, conversation_id, channel, state, language, opened_at, queued_at, bot_state, last_message_at)
                      VALUES ('dialog-1', 'client-1', 'conv-1', 'directline', 'queued', 'ru', 1, 2, '{}', 2);
                    INSERT INTO messages (id, dialog_id, conversation_id, channel, seq, direction, author, author_id, text, activity, created_at, processed_at)
                      VALUES ('m-1', 'dialog-1', 'conv-1', 'directline', 1, 'in', 'client', 'client-1', 'Позовите оператора',
                              '{"type":"message","id":"m-1","text":"Позовите оператора"}', 1, 1);
                    """);
            }

            await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite, ["--data-dir", dataDir], keepData: true);
            using var api = engine.OperatorClient(await engine.OperatorTokenAsync());
            var dialog = (await api.GetFromJsonAsync<JsonObject>("/api/v1/dialogs/dialog-1"))!;
            Assert.Equal("queued", dialog["state"]!.GetValue<string>());
            var messages = (await api.GetFromJsonAsync<JsonArray>("/api/v1/dialogs/dialog-1/messages"))!;
            // The engine may already have told the waiting client its place; the client's own message must be there as stored.
            var stored = Assert.Single(messages, m => m!["author"]!.GetValue<string>() == "client")!;
            Assert.Equal("Позовите оператора", stored["text"]!.GetValue<string>());
            // The history index, made and remade by later scripts, holds the message stored before it existed.
            var found = (await api.GetFromJsonAsync<JsonObject>(
                "/api/v1/history?from=1970-01-01T00:00:00Z&to=1970-01-02T00:00:00Z&q=" + Uri.EscapeDataString("позовите")))!;
            Assert.Equal("dialog-1", Assert.Single(found["items"]!.AsArray())!["id"]!.GetValue<string>());

            // The upgraded dialog routes like a new one: an operator going online gets it.
            await OperatorSteps.SetStatusAsync(api, "online");
            await Eventually.WaitAsync(async () =>
                (await api.GetFromJsonAsync<JsonObject>("/api/v1/dialogs/dialog-1"))!["state"]!.GetValue<string>() == "assigned" ? true : null);
            var applied = await new SqliteConnection($"Data Source={file};Pooling=False").QueryAsync<int>("SELECT version FROM schema_migrations ORDER BY version");
            Assert.Equal(SchemaMigrator.Scripts.Select(s => s.Version), applied);
        }
        finally
        {
            TestDatabases.TryDelete(dataDir);
        }
    }
}
