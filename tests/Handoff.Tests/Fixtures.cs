namespace BotEngine.Handoff.Tests;

internal static class Fixtures
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public static readonly Role OperatorRole = Role.Of("operator", Permission.ViewClient, Permission.ViewKb, Permission.SendPics, Permission.ViewRerouteBtn);

    public static readonly Role SeniorRole = Role.Of("senior", Permission.ModifyUserDissatisfaction, Permission.SendFiles);

    public static readonly Role SupervisorRole = Role.Of("supervisor", Permission.ViewMonitoring, Permission.ViewDialogsSearch);

    public static OperatorProfile Op(string id, params Role[] roles) =>
        new(id, id, roles.Length == 0 ? [OperatorRole] : roles, RoutingProfile.Create());

    public static OperatorSnapshot Online(
        string id, int active = 0, int max = 3, DateTimeOffset? idleSince = null,
        string[]? callCentres = null, string[]? languages = null, string[]? lines = null, string[]? skills = null,
        OperatorStatus status = OperatorStatus.Online) =>
        new(id, status, RoutingProfile.Create(callCentres, languages, lines, skills, max), active, idleSince ?? T0);

    public static QueuedDialog Queued(string id, RoutingRequirements? r = null, DateTimeOffset? at = null, string? client = null) =>
        new(id, client ?? "client-" + id, r ?? new RoutingRequirements(), at ?? T0);

    public static QueueSnapshot Queue(params QueuedDialog[] dialogs) => new(dialogs);

    /// <summary>A routing pass over a queue of one dialog: its assignment, or null when it waits.</summary>
    public static Assignment? RouteOne(this Router router, QueuedDialog dialog, IReadOnlyList<OperatorSnapshot> operators, DateTimeOffset now) =>
        router.Route(Queue(dialog), operators, now).Assignments.SingleOrDefault();
}
