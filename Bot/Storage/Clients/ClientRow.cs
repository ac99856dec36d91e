namespace BotEngine.Storage.Clients;

/// <summary>A row of <c>clients</c>; <see cref="Fields"/>, <see cref="Tags"/> and <see cref="Verified"/> are JSON.</summary>
public sealed record ClientRow
{
    public string Id { get; init; } = "";
    public string? DisplayName { get; init; }
    public string? Language { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? Phone { get; init; }
    public string? Email { get; init; }
    public string? Contract { get; init; }
    public string Fields { get; init; } = "{}";
    public string Tags { get; init; } = "[]";
    public string Verified { get; init; } = "[]";
    public long IsTest { get; init; }
    public long CreatedAt { get; init; }
    public long? UpdatedAt { get; init; }
    public string? MergedInto { get; init; }
    public string? SearchText { get; init; }
}
