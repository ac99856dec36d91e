using BotEngine.Handoff;
using BotEngine.Http;
using Hangfire.Dashboard;

namespace BotEngine.Bot.Jobs;

/// <summary>
/// The dashboard at <c>/jobs</c> opens only to an operator signed in to the engine (token or cookie) with
/// <c>modify_configuration</c>; the endpoint declares the same permission, this keeps Hangfire's own check in line.
/// </summary>
public sealed class DashboardAccess : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context)
    {
        return context.GetHttpContext().User.Has(Permission.ModifyConfiguration);
    }
}
