using BotEngine.Engine.Channels;
using BotEngine.Engine.Clients;
using BotEngine.Engine.Desk;
using BotEngine.Engine.Pipeline;
using BotEngine.Engine.Webhooks;

namespace BotEngine.Bot.Middleware;

/// <summary>
/// The one place where the engine's refusals become responses: a <see cref="DeskException"/> keeps its status and code,
/// a refused channel configuration keeps its status, a message into another account's conversation is 403; in the route's error shape (Direct Line's or ProblemDetails).
/// Endpoints let these exceptions pass instead of catching them.
/// </summary>
public sealed class DomainExceptionHandler : Microsoft.AspNetCore.Diagnostics.IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (context.Response.HasStarted)
            return false;
        switch (exception)
        {
            case DeskException desk:
                await ErrorResponses.WriteAsync(context, desk.StatusCode, "BadArgument", desk.Message, desk.Code);
                return true;
            case ChannelSettingsException channel:
                await ErrorResponses.WriteAsync(context, channel.StatusCode, "BadArgument", channel.Message);
                return true;
            case ClientProfileException client:
                await ErrorResponses.WriteAsync(context, client.StatusCode, "BadArgument", client.Message, client.Code);
                return true;
            case WebhookException webhook:
                await ErrorResponses.WriteAsync(context, webhook.StatusCode, "BadArgument", webhook.Message, webhook.Code);
                return true;
            case ForeignAccountException foreign:
                await ErrorResponses.WriteAsync(context, StatusCodes.Status403Forbidden, "BadArgument", foreign.Message);
                return true;
            default:
                return false;
        }
    }
}
