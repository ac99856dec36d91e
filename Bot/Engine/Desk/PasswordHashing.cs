using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace BotEngine.Engine.Desk;

/// <summary>
/// Hashes and verifies operator passwords (ASP.NET Core's PasswordHasher, PBKDF2) on a few dedicated threads with a
/// bounded queue. A password check costs tens of milliseconds of CPU; run on the request's thread pool, a flood of
/// sign-ins took every core and slowed bot turns. Here it can use at most <see cref="PasswordHashingOptions.Workers"/>
/// cores, and a flood beyond the queue is refused instead of piling up.
/// </summary>
public sealed class PasswordHashing : IDisposable
{
    private readonly PasswordHasher<string> _hasher = new();
    private readonly BlockingCollection<Action> _queue;
    private readonly Thread[] _workers;
    private readonly Lazy<string> _dummyHash;

    public PasswordHashing(IOptions<PasswordHashingOptions> options)
    {
        _queue = new BlockingCollection<Action>(Math.Max(1, options.Value.QueueLength));
        _workers = Enumerable.Range(0, options.Value.EffectiveWorkers).Select(i => new Thread(Work)
        {
            IsBackground = true,
            Name = $"password-hashing-{i}",
        }).ToArray();
        foreach (var worker in _workers)
            worker.Start();
        // A hash of a random password that nobody knows, made the same way as real ones, so checking a login that
        // does not exist costs what checking one that does costs.
        _dummyHash = new Lazy<string>(() => _hasher.HashPassword("", RandomNumberGenerator.GetHexString(32)));
    }

    private long _dummyVerifications;

    /// <summary>How many checks ran against the dummy hash (lets a test see that an unknown login is hashed too).</summary>
    public long DummyVerifications => Interlocked.Read(ref _dummyVerifications);

    public Task<string> HashAsync(string password, CancellationToken cancellationToken) =>
        RunAsync(() => _hasher.HashPassword("", password), cancellationToken);

    /// <summary>
    /// True when <paramref name="password"/> matches <paramref name="hash"/>. A null hash (no such login) is checked
    /// against a dummy hash and is always false, at the same cost as a real check.
    /// </summary>
    public Task<bool> VerifyAsync(string? hash, string password, CancellationToken cancellationToken) =>
        RunAsync(() =>
        {
            if (hash is null)
            {
                Interlocked.Increment(ref _dummyVerifications);
                _hasher.VerifyHashedPassword("", _dummyHash.Value, password);
                return false;
            }
            return _hasher.VerifyHashedPassword("", hash, password) != PasswordVerificationResult.Failed;
        }, cancellationToken);

    private Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Job()
        {
            // A caller that gave up while queued (request aborted) costs no hashing.
            if (cancellationToken.IsCancellationRequested)
            {
                done.TrySetCanceled(cancellationToken);
                return;
            }
            try
            {
                done.TrySetResult(work());
            }
            catch (Exception ex)
            {
                // Handed to the caller: an exception must not end a worker thread (that would end the process).
                done.TrySetException(ex);
            }
        }
        if (!_queue.TryAdd(Job))
            return Task.FromException<T>(new PasswordHashingBusyException());
        return done.Task;
    }

    private void Work()
    {
        foreach (var job in _queue.GetConsumingEnumerable())
            job();
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        var stopped = _workers.All(w => w.Join(TimeSpan.FromSeconds(5)));
        if (stopped)
            _queue.Dispose();
    }
}
