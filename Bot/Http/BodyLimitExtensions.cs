namespace BotEngine.Http;

public static class BodyLimitExtensions
{
    /// <summary>Gives the route one of the configured body limits instead of <see cref="RequestLimitsOptions.MaxBodyBytes"/>.</summary>
    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder builder, BodyLimit limit) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new BodyLimitMetadata(limit));
}
