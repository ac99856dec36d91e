using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace BotEngine.Bot.Middleware;

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
