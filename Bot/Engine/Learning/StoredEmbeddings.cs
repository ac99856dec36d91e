using System.Collections.Concurrent;
using System.Diagnostics;
using BotEngine.Nlu.Encoders;

namespace BotEngine.Engine.Learning;

/// <summary>
/// Keeps the engine's embedding caches in the database, so a restart embeds only texts it has never seen: a cache is
/// filled from the store when the engine first uses it (reading needs no model), and what the encoder added since the
/// last write is written after each training and each batch of the search's embedding. The table keeps vectors of
/// texts no longer in the knowledge base; they cost 1.5 KB each and only the start reads them, so nothing deletes them.
/// A store that fails is logged and changes nothing else: the encoder embeds what the cache lacks, and vectors not
/// written are tried again with the next write.
/// </summary>
public sealed partial class StoredEmbeddings(IEmbeddingStore store, ILogger<StoredEmbeddings> logger)
{
    private sealed class State(int written)
    {
        public readonly SemaphoreSlim Gate = new(1, 1);
        public volatile bool Loaded;
        // The cache is the process's: what was embedded before this engine used it is another engine's to write.
        public int Written = written;
    }

    private readonly ConcurrentDictionary<EmbeddingCache, State> _states = new();

    /// <summary>Fills the cache from the store, once per engine and cache (again after a failed read).</summary>
    public async Task LoadAsync(EmbeddingCache cache, CancellationToken cancellationToken)
    {
        var state = StateOf(cache);
        if (state.Loaded)
            return;
        await state.Gate.WaitAsync(cancellationToken);
        try
        {
            if (state.Loaded)
                return;
            var started = Stopwatch.GetTimestamp();
            var stored = await store.LoadAsync(cache.EncoderName, cache.Dimension, cancellationToken);
            var added = cache.Import(stored);
            state.Loaded = true;
            LogLoaded(logger, stored.Count, cache.EncoderName, added, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogLoadFailed(logger, cache.EncoderName, e);
        }
        finally
        {
            state.Gate.Release();
        }
    }

    /// <summary>Writes the vectors the encoder added to the cache since the last write; returns how many were written.</summary>
    public async Task<int> SaveAsync(EmbeddingCache cache, CancellationToken cancellationToken)
    {
        var state = StateOf(cache);
        await state.Gate.WaitAsync(cancellationToken);
        try
        {
            var fresh = cache.EmbeddedSince(state.Written);
            if (fresh.Count == 0)
                return 0;
            await store.SaveAsync(cache.EncoderName, fresh, cancellationToken);
            state.Written += fresh.Count;
            return fresh.Count;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogSaveFailed(logger, cache.EncoderName, e);
            return 0;
        }
        finally
        {
            state.Gate.Release();
        }
    }

    private State StateOf(EmbeddingCache cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        return _states.GetOrAdd(cache, c => new State(c.EmbeddedCount));
    }

    [LoggerMessage(EventId = 720, Level = LogLevel.Information, Message = "Read {Stored} stored {Encoder} embeddings ({Added} new to the cache) in {Milliseconds} ms")]
    private static partial void LogLoaded(ILogger logger, int stored, string encoder, int added, long milliseconds);

    [LoggerMessage(EventId = 721, Level = LogLevel.Warning, Message = "Reading the stored {Encoder} embeddings failed: texts are embedded again")]
    private static partial void LogLoadFailed(ILogger logger, string encoder, Exception exception);

    [LoggerMessage(EventId = 722, Level = LogLevel.Warning, Message = "Storing new {Encoder} embeddings failed: the next write tries again")]
    private static partial void LogSaveFailed(ILogger logger, string encoder, Exception exception);
}
