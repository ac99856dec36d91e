using System.Text.Json;
using System.Text.Json.Nodes;
using BotEngine.Storage;
using BotEngine.Storage.Clients;

namespace BotEngine.Engine.Clients;

/// <summary>A client's profile as the API and the operator's card show it.</summary>
public sealed record ClientProfile(
    string Id,
    string? DisplayName,
    string? FirstName,
    string? LastName,
    string? Phone,
    string? Email,
    string? Contract,
    JsonObject Fields,
    IReadOnlyList<string> Tags,
    IReadOnlyList<string> Verified,
    bool IsTest,
    string? Language,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? MergedInto)
{
    public static ClientProfile From(ClientRow row) => new(
        row.Id, row.DisplayName, row.FirstName, row.LastName, row.Phone, row.Email, row.Contract,
        JsonNode.Parse(row.Fields) as JsonObject ?? [],
        JsonSerializer.Deserialize<string[]>(row.Tags) ?? [],
        JsonSerializer.Deserialize<string[]>(row.Verified) ?? [],
        row.IsTest != 0, row.Language,
        TimeExtensions.FromMicros(row.CreatedAt), TimeExtensions.FromMicros(row.UpdatedAt ?? row.CreatedAt), row.MergedInto);

    public ClientRow ToRow(long updatedAt) => new()
    {
        Id = Id,
        DisplayName = DisplayName,
        FirstName = FirstName,
        LastName = LastName,
        Phone = Phone,
        Email = Email,
        Contract = Contract,
        Fields = Fields.ToJsonString(),
        Tags = JsonSerializer.Serialize(Tags),
        Verified = JsonSerializer.Serialize(Verified),
        IsTest = IsTest ? 1 : 0,
        Language = Language,
        CreatedAt = TimeExtensions.ToMicros(CreatedAt),
        UpdatedAt = updatedAt,
        MergedInto = MergedInto,
        SearchText = ContactValues.SearchText(DisplayName, FirstName, LastName, Phone, Email, Contract),
    };

    /// <summary>The profile as a change record keeps it.</summary>
    public string Snapshot() => JsonSerializer.Serialize(this, SnapshotOptions);

    private static readonly JsonSerializerOptions SnapshotOptions = new(JsonSerializerDefaults.Web);

    /// <summary>The name an operator sees: first and last name, else the channel's display name.</summary>
    public string? Name => string.Join(' ', new[] { FirstName, LastName }.Where(n => !string.IsNullOrWhiteSpace(n))) is { Length: > 0 } full ? full : DisplayName;
}
