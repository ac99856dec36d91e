using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace BotEngine.Bot.Http;

/// <summary>
/// Rate limits on the public endpoints (section <c>RateLimits</c>), as token buckets: a bucket holds <c>*Burst</c>
/// requests and refills by <c>*PerSecond</c> (<c>*PerMinute</c>). The defaults stop floods, not people: a human
/// writes far slower, and one address may be a whole office behind NAT (or the benchmark's 16 clients).
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>Every Direct Line request naming a conversation counts against that conversation.</summary>
    public int ConversationBurst { get; set; } = 200;
    public int ConversationPerSecond { get; set; } = 100;
    /// <summary>Every Direct Line request counts against the client's address.</summary>
    public int AddressBurst { get; set; } = 4000;
    public int AddressPerSecond { get; set; } = 2000;
    /// <summary><c>POST /webchat/token</c> per address.</summary>
    public int WebChatTokenBurst { get; set; } = 60;
    public int WebChatTokensPerMinute { get; set; } = 60;

    public bool IsValid() => ConversationBurst > 0 && ConversationPerSecond > 0 && AddressBurst > 0 && AddressPerSecond > 0
        && WebChatTokenBurst > 0 && WebChatTokensPerMinute > 0;
}

public static class RateLimits
{
    public static IServiceCollection AddEngineRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration("RateLimits")
            .Validate(o => o.IsValid(), "RateLimits: every burst and rate must be positive.")
            .ValidateOnStart();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((o, limits) =>
        {
            var l = limits.Value;
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(c => IsDirectLine(c)
                    ? Bucket("address:" + Address(c), l.AddressBurst, l.AddressPerSecond, TimeSpan.FromSeconds(1))
                    : RateLimitPartition.GetNoLimiter("")),
                PartitionedRateLimiter.Create<HttpContext, string>(c => IsDirectLine(c) && c.Request.RouteValues["conversationId"] is string conversation
                    ? Bucket("conversation:" + conversation, l.ConversationBurst, l.ConversationPerSecond, TimeSpan.FromSeconds(1))
                    : RateLimitPartition.GetNoLimiter("")),
                PartitionedRateLimiter.Create<HttpContext, string>(c => HttpMethods.IsPost(c.Request.Method) && c.Request.Path.Equals("/webchat/token", StringComparison.OrdinalIgnoreCase)
                    ? Bucket("webchat-token:" + Address(c), l.WebChatTokenBurst, l.WebChatTokensPerMinute, TimeSpan.FromMinutes(1))
                    : RateLimitPartition.GetNoLimiter("")));
            o.OnRejected = RejectAsync;
        });
        return services;
    }

    private static bool IsDirectLine(HttpContext context) => context.Request.Path.StartsWithSegments("/v3/directline");

    private static string Address(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static RateLimitPartition<string> Bucket(string key, int burst, int perPeriod, TimeSpan period) =>
        RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = perPeriod,
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        });

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 1;
        context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await ErrorResponses.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, "TooManyRequests",
            $"Too many requests; retry after {seconds} s.");
    }
}
