namespace BotEngine.Http;

/// <summary>The body limit a route declared with <see cref="BodyLimitExtensions.WithBodyLimit{TBuilder}"/>.</summary>
public sealed record BodyLimitMetadata(BodyLimit Limit);
