using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BotEngine.Bot.Tests.Flow;
using BotEngine.Nlu;
using BotEngine.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BotEngine.Bot.Tests;

public enum StorageKind
{
    Sqlite,
    Postgres,
}

/// <summary>A real engine on a loopback port (Kestrel, not a test server), on a fresh SQLite file or PostgreSQL database.</summary>
public sealed class EngineHost : IAsyncDisposable
{
    public const string AdminPassword = "admin-password-1";
    public const string DirectLineSecret = "test-directline-secret";

    private readonly WebApplication _app;
    private readonly Func<Task> _cleanup;

    private EngineHost(WebApplication app, Uri baseUri, Func<Task> cleanup)
    {
        _app = app;
        BaseUri = baseUri;
        _cleanup = cleanup;
        // No cookie jar: sign-in sets the operator cookie, and this client must stay anonymous for the tests that use it so.
        Http = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseUri { get; }
    public HttpClient Http { get; }
    public IServiceProvider Services => _app.Services;

    public static Task<EngineHost> StartAsync(StorageKind storage, params string[] extraArgs) => StartAsync(storage, null, extraArgs);

    /// <summary>An engine on a data folder the caller owns, which survives this host (for restart tests).</summary>
    public static Task<EngineHost> StartAsync(StorageKind storage, string[] args, bool keepData) =>
        keepData ? StartAsync(storage, null, true, args) : StartAsync(storage, null, args);

    /// <summary>An engine on a PostgreSQL database the caller created (several hosts can share it).</summary>
    public static Task<EngineHost> StartOnPostgresAsync(string connectionString, params string[] extraArgs) =>
        StartAsync(StorageKind.Sqlite, null, true, ["--postgres", connectionString, .. extraArgs]);

    /// <summary>As the restart overload, with a hook that changes the engine's services (fault injection).</summary>
    public static Task<EngineHost> StartAsync(StorageKind storage, Action<WebApplicationBuilder>? configure, string[] args, bool keepData) =>
        keepData ? StartAsync(storage, configure, true, args) : StartAsync(storage, configure, false, args);

    /// <summary>As <see cref="StartOnPostgresAsync(string, string[])"/>, with a hook that changes the engine's services.</summary>
    public static Task<EngineHost> StartOnPostgresAsync(string connectionString, Action<WebApplicationBuilder>? configure, params string[] extraArgs) =>
        StartAsync(StorageKind.Sqlite, configure, true, ["--postgres", connectionString, .. extraArgs]);

    public static Task<EngineHost> StartAsync(StorageKind storage, Action<WebApplicationBuilder>? configure, params string[] extraArgs) =>
        StartAsync(storage, configure, false, extraArgs);

    private static async Task<EngineHost> StartAsync(StorageKind storage, Action<WebApplicationBuilder>? configure, bool callerOwnsData, string[] extraArgs)
    {
        var args = new List<string> { "--urls", "http://127.0.0.1:0", "--Bootstrap:AdminPassword=" + AdminPassword, "--directline-secret", DirectLineSecret, "--Logging:LogLevel:Default=Warning", "--Jobs:Schedule=false" };
        Func<Task> cleanup;
        if (storage == StorageKind.Postgres)
        {
            var (connectionString, drop) = await TestDatabases.CreatePostgresAsync();
            args.AddRange(["--postgres", connectionString]);
            cleanup = drop;
        }
        else if (callerOwnsData)
        {
            cleanup = () => Task.CompletedTask;
        }
        else
        {
            var dir = TestDatabases.NewTempDir();
            args.AddRange(["--data-dir", dir]);
            cleanup = () => { TestDatabases.TryDelete(dir); return Task.CompletedTask; };
        }
        args.AddRange(extraArgs);
        // The demo KB trains the same classifier in every engine: train it once per process, as the flow tests do,
        // unless the test sets the classifier's options itself.
        var sharedTraining = !extraArgs.Any(a => a.Contains("Nlu:", StringComparison.OrdinalIgnoreCase) || a.Contains("Nlu__", StringComparison.OrdinalIgnoreCase));
        var app = BotApp.Build(args.ToArray(), builder =>
        {
            if (sharedTraining)
                builder.Services.AddSingleton<IIntentTrainer>(MemoizingTrainer.Shared);
            configure?.Invoke(builder);
        });
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(120));
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new EngineHost(app, new Uri(address), cleanup);
    }

    public async Task<string> OperatorTokenAsync(string login = "admin", string password = AdminPassword)
    {
        var response = await Http.PostAsJsonAsync("/api/v1/auth/token", new { login, password });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
    }

    public HttpClient OperatorClient(string token)
    {
        var client = new HttpClient { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _app.DisposeAsync();
        await _cleanup();
    }
}

public static class TestDatabases
{
    /// <summary>Set by test.sh; in CI a missing server is a failure, never a skip.</summary>
    public static string? PostgresBase => Environment.GetEnvironmentVariable("BOTENGINE_TEST_POSTGRES");

    /// <summary>Runs a test against a fresh, empty database of the given kind (no schema), and removes it afterwards.</summary>
    public static async Task WithEmptyDatabaseAsync(StorageKind storage, Func<Database, Task> test)
    {
        var dir = NewTempDir();
        Func<Task> drop = () => Task.CompletedTask;
        try
        {
            Database database;
            if (storage == StorageKind.Postgres)
            {
                (var connectionString, drop) = await CreatePostgresAsync();
                database = Database.ForPostgres(connectionString);
            }
            else
            {
                database = Database.ForSqliteFile(Path.Combine(dir, "test.db"));
            }
            await using (database)
                await test(database);
        }
        finally
        {
            await drop();
            TryDelete(dir);
        }
    }

    public static async Task<(string ConnectionString, Func<Task> Drop)> CreatePostgresAsync()
    {
        var baseString = PostgresBase ?? throw new InvalidOperationException(
            "BOTENGINE_TEST_POSTGRES is not set: run ./test.sh, which installs and starts PostgreSQL.");
        var name = "botengine_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = new NpgsqlConnection(baseString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlConnectionStringBuilder(baseString) { Database = name };
        return (builder.ToString(), async () =>
        {
            NpgsqlConnection.ClearAllPools();
            try
            {
                await using var admin = new NpgsqlConnection(baseString);
                await admin.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin);
                await drop.ExecuteNonQueryAsync();
            }
            catch (PostgresException)
            {
                // Clean-up is best effort; a left-over test database does not make a test wrong.
            }
        });
    }

    public static string NewTempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "botengine-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
