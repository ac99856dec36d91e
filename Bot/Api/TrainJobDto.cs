namespace BotEngine.Bot.Api;

/// <summary>The Hangfire job of a training run started through the API (see it on the dashboard at /jobs).</summary>
public sealed record TrainJobDto(string JobId);
