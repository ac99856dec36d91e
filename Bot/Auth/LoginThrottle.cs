using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace BotEngine.Bot.Auth;

/// <summary>
/// Counts failed sign-ins per login and per client address. Beyond a few failures each further one locks the login
/// (or the address) for a delay that doubles per failure, up to a maximum; while locked, attempts are refused before
/// the password is looked at, so the right password does not get in either. An attempt is counted when it starts
/// (parallel guesses cannot all slip in before the first failure is recorded) and taken back when it succeeds:
/// success clears the login's counter and removes its own count from the address. Unknown logins are counted like
/// known ones, so lockouts do not reveal which logins exist. Counters live in memory, per node, bounded in number.
/// </summary>
public sealed class LoginThrottle(TimeProvider time, IOptions<LoginThrottleOptions> options)
{
    private const int MaxLoginKeyLength = 128;

    private readonly CounterTable _logins = new(options.Value.MaxTracked);
    private readonly CounterTable _addresses = new(options.Value.MaxTracked);
    private readonly Lock _gate = new();

    /// <summary>Starts an attempt: null when it may go on (and is now counted), else why and how long to wait.</summary>
    public ThrottleRefusal? TryBegin(string login, IPAddress? address)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var addressKey = AddressKey(address);
        lock (_gate)
        {
            var forLogin = _logins.Find(LoginKey(login), now, o.ForgetAfter);
            var forAddress = _addresses.Find(addressKey, now, o.ForgetAfter);
            var loginWait = forLogin is null ? TimeSpan.Zero : forLogin.LockedUntil - now;
            var addressWait = forAddress is null ? TimeSpan.Zero : forAddress.LockedUntil - now;
            if (loginWait > TimeSpan.Zero || addressWait > TimeSpan.Zero)
                return addressWait > loginWait ? new ThrottleRefusal(addressWait, true) : new ThrottleRefusal(loginWait, false);
            Count(_logins.GetOrAdd(LoginKey(login), now, o.ForgetAfter), o.LoginFailures, now);
            Count(_addresses.GetOrAdd(addressKey, now, o.ForgetAfter), o.AddressFailures, now);
            return null;
        }
    }

    /// <summary>The attempt succeeded: the login starts afresh, the address forgets this one attempt.</summary>
    public void Succeeded(string login, IPAddress? address)
    {
        lock (_gate)
        {
            _logins.Remove(LoginKey(login));
            TakeBack(_addresses, AddressKey(address), options.Value.AddressFailures);
        }
    }

    /// <summary>The attempt was not decided (the server was too busy to check it): it does not count against anyone.</summary>
    public void Abandoned(string login, IPAddress? address)
    {
        lock (_gate)
        {
            TakeBack(_logins, LoginKey(login), options.Value.LoginFailures);
            TakeBack(_addresses, AddressKey(address), options.Value.AddressFailures);
        }
    }

    /// <summary>An administrator set a new password: the login's lock is lifted.</summary>
    public void Forget(string login)
    {
        lock (_gate)
            _logins.Remove(LoginKey(login));
    }

    private void Count(Counter counter, int free, DateTimeOffset now)
    {
        counter.Failures++;
        counter.LastAt = now;
        if (counter.Failures >= free)
            counter.LockedUntil = now + Delay(counter.Failures - free);
    }

    private static void TakeBack(CounterTable table, string key, int free)
    {
        if (table.Peek(key) is not { } counter)
            return;
        counter.Failures = Math.Max(0, counter.Failures - 1);
        if (counter.Failures < free)
            counter.LockedUntil = DateTimeOffset.MinValue;
    }

    private TimeSpan Delay(int doublings)
    {
        var o = options.Value;
        var factor = Math.Pow(2, Math.Min(doublings, 40));
        var delay = o.FirstDelay.TotalMilliseconds * factor;
        return delay >= o.MaxDelay.TotalMilliseconds ? o.MaxDelay : TimeSpan.FromMilliseconds(delay);
    }

    private static string LoginKey(string login)
    {
        var trimmed = login.Trim();
        return trimmed.Length > MaxLoginKeyLength ? trimmed[..MaxLoginKeyLength] : trimmed;
    }

    /// <summary>IPv4 as is; IPv6 by its /64 network, since one client usually holds a whole /64.</summary>
    public static string AddressKey(IPAddress? address)
    {
        if (address is null)
            return "unknown";
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private sealed class Counter
    {
        public int Failures;
        public DateTimeOffset LastAt;
        public DateTimeOffset LockedUntil = DateTimeOffset.MinValue;
    }

    /// <summary>Counters by key, at most <c>capacity</c>; when full, forgotten ones go first, then the least recently failed.</summary>
    private sealed class CounterTable(int capacity)
    {
        private readonly Dictionary<string, Counter> _counters = new(StringComparer.Ordinal);

        public Counter? Peek(string key) => _counters.GetValueOrDefault(key);

        public Counter? Find(string key, DateTimeOffset now, TimeSpan forgetAfter)
        {
            if (!_counters.TryGetValue(key, out var counter))
                return null;
            if (IsForgotten(counter, now, forgetAfter))
            {
                _counters.Remove(key);
                return null;
            }
            return counter;
        }

        public Counter GetOrAdd(string key, DateTimeOffset now, TimeSpan forgetAfter)
        {
            if (Find(key, now, forgetAfter) is { } existing)
                return existing;
            if (_counters.Count >= capacity)
                MakeRoom(now, forgetAfter);
            var counter = new Counter { LastAt = now };
            _counters[key] = counter;
            return counter;
        }

        public void Remove(string key) => _counters.Remove(key);

        private void MakeRoom(DateTimeOffset now, TimeSpan forgetAfter)
        {
            foreach (var key in _counters.Where(p => IsForgotten(p.Value, now, forgetAfter)).Select(p => p.Key).ToList())
                _counters.Remove(key);
            if (_counters.Count < capacity)
                return;
            // Still full: drop a tenth at once (so a flood of new keys does not pay a scan each), unlocked ones first.
            var drop = _counters
                .OrderBy(p => p.Value.LockedUntil > now)
                .ThenBy(p => p.Value.LastAt)
                .Take(Math.Max(1, capacity / 10))
                .Select(p => p.Key)
                .ToList();
            foreach (var key in drop)
                _counters.Remove(key);
        }

        private static bool IsForgotten(Counter counter, DateTimeOffset now, TimeSpan forgetAfter) =>
            counter.LockedUntil <= now && now - counter.LastAt >= forgetAfter;
    }
}
