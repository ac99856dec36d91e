using BotEngine.Storage;
using Dapper;
using Microsoft.Data.Sqlite;

namespace BotEngine.Bot.Tests;

/// <summary>SQLite's write-ahead log stays bounded while commits never pause, which alone never lets SQLite start it over.</summary>
public sealed class SqliteLogTests
{
    [Fact]
    public async Task Under_commits_that_never_pause_the_log_is_started_over_and_stays_bounded()
    {
        var directory = Directory.CreateTempSubdirectory("botengine-wal-");
        var path = Path.Combine(directory.FullName, "log.db");
        try
        {
            const long restartFrames = 256;
            await using (var writer = new SqliteWriter(ct => OpenAsync(path, ct), restartFrames))
            {
                await writer.WriteAsync((c, t) => c.ExecuteAsync("CREATE TABLE items (id INTEGER PRIMARY KEY, body BLOB NOT NULL)", transaction: t), CancellationToken.None);
                // Sixteen writers keep the queue full for three seconds (a row of a page each unit), and a reader reads throughout.
                var largest = 0L;
                var restarts = new HashSet<uint>();
                var until = DateTime.UtcNow.AddSeconds(3);
                var writers = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
                {
                    var units = 0;
                    while (DateTime.UtcNow < until)
                    {
                        await writer.WriteAsync((c, t) => c.ExecuteAsync("INSERT INTO items (body) VALUES (randomblob(3000))", transaction: t), CancellationToken.None);
                        units++;
                    }
                    return units;
                })).ToList();
                var reader = Task.Run(async () =>
                {
                    await using var connection = await OpenAsync(path, CancellationToken.None);
                    while (DateTime.UtcNow < until)
                    {
                        await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM items");
                        largest = Math.Max(largest, new FileInfo(path + "-wal").Length);
                        if (LogCheckpointSequence(path + "-wal") is { } sequence)
                            restarts.Add(sequence);
                        await Task.Delay(5);
                    }
                });
                var written = (await Task.WhenAll(writers)).Sum();
                await reader;

                await using var check = await OpenAsync(path, CancellationToken.None);
                Assert.Equal(written, await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM items"));
                // A unit writes a page at least: enough to pass the limit many times over.
                Assert.True(written > 20 * restartFrames, $"only {written} units were written");
                // Past the limit the log starts over after each checkpoint, so the file holds what a few checkpoint
                // intervals wrote, not everything (it did before: 230 MB for about 200 MB written, and no restart).
                var log = $"the log reached {largest / 1024} KiB with {written} units written, and started over {restarts.Count - 1} times";
                Assert.True(restarts.Count > 5, log);
                Assert.True(largest < written * 4096L / 2, log);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    /// <summary>The log header's checkpoint sequence, which SQLite counts up each time it starts the log over.</summary>
    private static uint? LogCheckpointSequence(string walPath)
    {
        using var file = new FileStream(walPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        Span<byte> header = stackalloc byte[16];
        return file.Read(header) == 16 ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(header[12..]) : null;
    }

    private static async Task<SqliteConnection> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;");
        return connection;
    }
}
