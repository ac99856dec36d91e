namespace BotEngine.Bot.Api;

/// <summary>The operator workplace's response KPI (<c>Workplace:*</c>): when a client's unanswered message is due an answer, and when the countdown turns amber.</summary>
public sealed class WorkplaceOptions
{
    /// <summary>The time an operator has to answer a client, unless the call centre's <c>operatorResponseTimeout</c> says otherwise.</summary>
    public TimeSpan ResponseTarget { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The time an operator has to answer a client's e-mail: mail is asynchronous, so hours rather than a chat's minutes.</summary>
    public TimeSpan EmailResponseTarget { get; set; } = TimeSpan.FromHours(4);

    /// <summary>The countdown turns amber this long before the deadline, and red once it has passed.</summary>
    public TimeSpan AmberBefore { get; set; } = TimeSpan.FromSeconds(20);
}
