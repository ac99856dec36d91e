using System.Text.Json.Nodes;

namespace BotEngine.Engine.Clients;

/// <summary>
/// A change to a profile: a property left out (null) keeps its value, an empty string clears it. <see cref="Fields"/>
/// sets the custom fields it names (a JSON null removes one); <see cref="Tags"/> replaces the tags.
/// </summary>
public sealed record ClientProfileEdit(
    string? DisplayName = null,
    string? FirstName = null,
    string? LastName = null,
    string? Phone = null,
    string? Email = null,
    string? Contract = null,
    JsonObject? Fields = null,
    string[]? Tags = null,
    bool? IsTest = null);
