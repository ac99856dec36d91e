namespace BotEngine.Bot.Api;

/// <param name="Topic">The dialog's topic as chosen so far (one of the KB's topics, or the operator's own words, up to 200 characters); empty clears it.</param>
public sealed record WorkplaceTopicRequest(string? Topic);
