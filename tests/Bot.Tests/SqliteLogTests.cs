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
                // Sixteen writers keep 64 units each in the queue (a row of a page each unit), so the writer never finds it
                // empty, while a reader reads; until the log has started over six times, or for at most 20 s.
                const int wantedRestarts = 6;
                var largest = 0L;
                var restarts = new HashSet<uint>();
                using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                var writers = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
                {
                    var units = 0;
                    var queued = new Queue<Task<int>>();
                    while (!stop.IsCancellationRequested)
                    {
                        queued.Enqueue(writer.WriteAsync((c, t) => c.ExecuteAsync("INSERT INTO items (body) VALUES (randomblob(3000))", transaction: t), CancellationToken.None));
                        units++;
                        if (queued.Count >= 64)
                            await queued.Dequeue();
                    }
                    await Task.WhenAll(queued);
                    return units;
                })).ToList();
                var reader = Task.Run(async () =>
                {
                    await using var connection = await OpenAsync(path, CancellationToken.None);
                    while (!stop.IsCancellationRequested)
                    {
                        await connection.ExecuteScalarAsync<long?>("SELECT MAX(id) FROM items");
                        largest = Math.Max(largest, new FileInfo(path + "-wal").Length);
                        if (LogCheckpointSequence(path + "-wal") is { } sequence && restarts.Add(sequence) && restarts.Count > wantedRestarts)
                            await stop.CancelAsync();
                        await Task.Delay(5);
                    }
                });
                var written = (await Task.WhenAll(writers)).Sum();
                await reader;

                await using var check = await OpenAsync(path, CancellationToken.None);
                Assert.Equal(written, await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM items"));
                // Each restart shows as a new checkpoint sequence in the log's header. The log is bounded when it starts
                // over every few megabytes written (the limit here is 1 MiB); SQLite alone did not once in 20 s of this
                // load, and the file grew to 1.5-3 GB.
                var log = $"the log reached {largest / 1024} KiB with {written} units written, and started over {restarts.Count - 1} times";
                var restartsSeen = restarts.Count - 1;
                Assert.True(restartsSeen > 0 && written * 4096L / restartsSeen < 64L * 1024 * 1024, log);
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
