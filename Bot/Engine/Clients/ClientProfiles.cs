using System.Data.Common;
using System.Text.Json.Nodes;
using BotEngine.Storage;
using BotEngine.Storage.Clients;

namespace BotEngine.Engine.Clients;

/// <summary>
/// Reads and changes client profiles: search, the card, edits checked field by field, and merges of two profiles.
/// Every change is recorded with the profile before and after it, so nothing an edit or a merge replaced is lost.
/// </summary>
public sealed class ClientProfiles(Database database, ClientStore store, TimeProvider time)
{
    public const int MaxName = 100;
    public const int MaxTags = 20;
    public const int MaxTag = 50;

    /// <summary>Fields compared one by one when two profiles merge.</summary>
    public static readonly IReadOnlyList<string> MergedFields = ["displayName", "firstName", "lastName", "phone", "email", "contract"];

    public async Task<IReadOnlyList<ClientProfile>> SearchAsync(string? query, string? cursor, int limit, CancellationToken cancellationToken)
    {
        var text = query?.Trim().ToLowerInvariant();
        if (text is { Length: > 100 })
            throw new ClientProfileException("q: at most 100 characters.", "client.bad_query");
        // A phone typed in any form finds the stored +7... form.
        if (text is { Length: > 0 } && text.Count(char.IsAsciiDigit) >= 10 && text.All(ch => char.IsAsciiDigit(ch) || ch is ' ' or '-' or '(' or ')' or '+'))
            text = ContactValues.NormalizePhone(text, "q");
        var rows = await store.SearchAsync(string.IsNullOrEmpty(text) ? null : text, cursor, limit, cancellationToken);
        return rows.Select(ClientProfile.From).ToList();
    }

    public async Task<ClientCard> CardAsync(string id, CancellationToken cancellationToken)
    {
        var row = await store.FindAsync(id, cancellationToken) ?? throw ClientProfileException.NotFound(id);
        var accounts = await store.AccountsAsync(id, cancellationToken);
        var dialogs = await store.DialogsAsync(id, 100, cancellationToken);
        return new ClientCard(ClientProfile.From(row), accounts, dialogs);
    }

    public async Task<IReadOnlyList<ClientFieldDefinition>> FieldDefinitionsAsync(CancellationToken cancellationToken) =>
        (await store.FieldDefinitionsAsync(cancellationToken)).Select(d => new ClientFieldDefinition(d.Name, d.Type, d.TitleRu, d.TitleEn)).ToList();

    public async Task<IReadOnlyList<ClientFieldDefinition>> SaveFieldDefinitionsAsync(IReadOnlyList<ClientFieldDefinition>? definitions, CancellationToken cancellationToken)
    {
        if (definitions is null)
            throw new ClientProfileException("Send a JSON array of {\"name\", \"type\", \"titleRu\", \"titleEn\"}.", "client.bad_fields");
        if (definitions.Count > 50)
            throw new ClientProfileException("At most 50 custom fields.", "client.bad_fields");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < definitions.Count; i++)
        {
            var d = definitions[i];
            if (d is null || string.IsNullOrEmpty(d.Name) || d.Name.Length > 40 || !d.Name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_') || !char.IsAsciiLetter(d.Name[0]))
                throw new ClientProfileException($"[{i}].name: 1 to 40 Latin letters, digits or _, starting with a letter.", "client.bad_fields");
            if (!seen.Add(d.Name))
                throw new ClientProfileException($"[{i}].name: '{d.Name}' is defined twice.", "client.bad_fields");
            if (!CustomFields.Types.Contains(d.Type))
                throw new ClientProfileException($"[{i}].type: one of {string.Join(", ", CustomFields.Types)}.", "client.bad_fields");
            if (string.IsNullOrWhiteSpace(d.TitleRu) || string.IsNullOrWhiteSpace(d.TitleEn) || d.TitleRu.Length > MaxName || d.TitleEn.Length > MaxName)
                throw new ClientProfileException($"[{i}].titleRu, titleEn: both required, at most {MaxName} characters.", "client.bad_fields");
        }
        await store.ReplaceFieldDefinitionsAsync(
            definitions.Select((d, i) => new ClientFieldDefinitionRow { Name = d.Name, Type = d.Type, TitleRu = d.TitleRu.Trim(), TitleEn = d.TitleEn.Trim(), Position = i }).ToList(),
            cancellationToken);
        return definitions;
    }

    /// <summary>Applies an operator's edit; a contact field they change is no longer one the site vouched for.</summary>
    public async Task<ClientProfile> UpdateAsync(string id, ClientProfileEdit? edit, string actor, CancellationToken cancellationToken)
    {
        if (edit is null)
            throw new ClientProfileException("Send a JSON object with the fields to change.", "client.bad_request");
        var definitions = (await FieldDefinitionsAsync(cancellationToken)).ToDictionary(d => d.Name, StringComparer.Ordinal);
        return await database.WriteAsync(async (c, t) =>
        {
            var row = await store.LockAsync(c, t, id) ?? throw ClientProfileException.NotFound(id);
            if (row.MergedInto is { } into)
                throw new ClientProfileException($"Client '{id}' was merged into '{into}'; edit that profile.", "client.merged", 409);
            var before = ClientProfile.From(row);
            var after = Apply(before, edit, definitions);
            var now = time.NowMicros();
            await ClientStore.UpdateAsync(c, t, after.ToRow(now), Change(id, actor, "edit", before, after, null, now));
            return after with { UpdatedAt = TimeExtensions.FromMicros(now) };
        }, cancellationToken);
    }

    internal static ClientProfile Apply(ClientProfile profile, ClientProfileEdit edit, IReadOnlyDictionary<string, ClientFieldDefinition> definitions)
    {
        var verified = profile.Verified.ToHashSet(StringComparer.Ordinal);
        string? Text(string field, string? value, string? current, Func<string, string>? normalize = null)
        {
            if (value is null)
                return current;
            var trimmed = value.Trim();
            if (trimmed.Length > MaxName)
                throw new ClientProfileException($"{field}: at most {MaxName} characters.", "client.too_long");
            if (trimmed.Any(char.IsControl))
                throw new ClientProfileException($"{field}: control characters are not allowed.", "client.bad_text");
            var next = trimmed.Length == 0 ? null : normalize is null ? trimmed : normalize(trimmed);
            if (next != current)
                verified.Remove(field);
            return next;
        }

        var fields = (JsonObject)profile.Fields.DeepClone();
        if (edit.Fields is not null)
        {
            foreach (var (name, value) in edit.Fields)
            {
                var checkedValue = CustomFields.Check(name, value, definitions);
                if (checkedValue is null)
                    fields.Remove(name);
                else
                    fields[name] = checkedValue;
                verified.Remove("fields." + name);
            }
        }
        var tags = profile.Tags;
        if (edit.Tags is not null)
        {
            var cleaned = edit.Tags.Select(tag => tag?.Trim() ?? "").ToList();
            if (cleaned.Count > MaxTags || cleaned.Any(tag => tag.Length is 0 or > MaxTag))
                throw new ClientProfileException($"tags: at most {MaxTags}, each 1 to {MaxTag} characters.", "client.bad_tags");
            tags = cleaned.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        }
        return profile with
        {
            DisplayName = Text("displayName", edit.DisplayName, profile.DisplayName),
            FirstName = Text("firstName", edit.FirstName, profile.FirstName),
            LastName = Text("lastName", edit.LastName, profile.LastName),
            Phone = Text("phone", edit.Phone, profile.Phone, v => ContactValues.NormalizePhone(v)),
            Email = Text("email", edit.Email, profile.Email, v => ContactValues.NormalizeEmail(v)),
            Contract = Text("contract", edit.Contract, profile.Contract),
            Fields = fields,
            Tags = tags,
            IsTest = edit.IsTest ?? profile.IsTest,
            Verified = [.. verified.Order(StringComparer.Ordinal)],
        };
    }

    /// <summary>
    /// Merges <paramref name="sourceId"/> into <paramref name="targetId"/>: accounts, conversations and dialogs move,
    /// tags are combined, and a field both profiles fill differently takes the side <paramref name="choices"/> names
    /// ("target" or "source"); a conflict left unchosen refuses the merge (409 listing them).
    /// </summary>
    public async Task<ClientProfile> MergeAsync(string targetId, string? sourceId, IReadOnlyDictionary<string, string>? choices, string actor, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(sourceId))
            throw new ClientProfileException("sourceId: required (the profile to merge into this one).", "client.bad_request");
        if (sourceId == targetId)
            throw new ClientProfileException("sourceId: a profile cannot be merged into itself.", "client.bad_request");
        choices ??= new Dictionary<string, string>();
        if (choices.FirstOrDefault(p => p.Value is not ("target" or "source")) is { Key: { } badKey })
            throw new ClientProfileException($"choices.{badKey}: \"target\" or \"source\".", "client.bad_request");
        return await database.WriteAsync(async (c, t) =>
        {
            // Locked in id order, so two merges of the same pair cannot wait for each other.
            var first = string.CompareOrdinal(targetId, sourceId) < 0 ? targetId : sourceId;
            var rows = new Dictionary<string, ClientRow>();
            foreach (var id in new[] { first, first == targetId ? sourceId : targetId })
                rows[id] = await store.LockAsync(c, t, id) ?? throw ClientProfileException.NotFound(id);
            foreach (var row in rows.Values)
            {
                if (row.MergedInto is { } into)
                    throw new ClientProfileException($"Client '{row.Id}' was already merged into '{into}'.", "client.merged", 409);
            }
            if (await ClientStore.OpenDialogsAsync(c, t, targetId, sourceId) > 1)
                throw new ClientProfileException("Both clients have an open dialog; close one of them first.", "client.both_open", 409);
            return await MergeLockedAsync(c, t, rows[targetId], rows[sourceId], choices, actor, time.NowMicros());
        }, cancellationToken);
    }

    /// <summary>The merge itself, on profiles the caller has locked and checked in its transaction.</summary>
    internal static async Task<ClientProfile> MergeLockedAsync(DbConnection c, DbTransaction t, ClientRow targetRow, ClientRow sourceRow,
        IReadOnlyDictionary<string, string> choices, string actor, long now)
    {
        var target = ClientProfile.From(targetRow);
        var source = ClientProfile.From(sourceRow);
        var merged = Combine(target, source, choices);
        var mergedAway = source with { MergedInto = target.Id };
        await ClientStore.MergeAsync(c, t, merged.ToRow(now), source.Id, now,
            Change(target.Id, actor, "merge", target, merged, source.Id, now) with { Before = MergeSnapshot(target, source) },
            Change(source.Id, actor, "merged_into", source, mergedAway, target.Id, now));
        return merged with { UpdatedAt = TimeExtensions.FromMicros(now) };
    }

    internal static ClientProfile Combine(ClientProfile target, ClientProfile source, IReadOnlyDictionary<string, string> choices)
    {
        var conflicts = new List<string>();
        var verified = new HashSet<string>(StringComparer.Ordinal);
        string? Pick(string field, string? mine, string? theirs)
        {
            if (string.IsNullOrEmpty(theirs) || mine == theirs)
            {
                if (target.Verified.Contains(field) || (mine == theirs && source.Verified.Contains(field)))
                    verified.Add(field);
                return mine;
            }
            if (string.IsNullOrEmpty(mine) || (choices.TryGetValue(field, out var side) && side == "source"))
            {
                if (source.Verified.Contains(field))
                    verified.Add(field);
                return theirs;
            }
            if (!choices.ContainsKey(field))
                conflicts.Add(field);
            else if (target.Verified.Contains(field))
                verified.Add(field);
            return mine;
        }

        var fields = (JsonObject)target.Fields.DeepClone();
        foreach (var (name, value) in source.Fields)
        {
            var key = "fields." + name;
            var mine = fields[name];
            if (mine is null || (choices.TryGetValue(key, out var side) && side == "source"))
            {
                fields[name] = value?.DeepClone();
                if (source.Verified.Contains(key))
                    verified.Add(key);
            }
            else if (!JsonNode.DeepEquals(mine, value) && !choices.ContainsKey(key))
                conflicts.Add(key);
        }
        foreach (var key in target.Verified.Where(v => v.StartsWith("fields.", StringComparison.Ordinal)))
        {
            if (!(choices.TryGetValue(key, out var side) && side == "source") || !source.Fields.ContainsKey(key[7..]))
                verified.Add(key);
        }

        var merged = target with
        {
            DisplayName = Pick("displayName", target.DisplayName, source.DisplayName),
            FirstName = Pick("firstName", target.FirstName, source.FirstName),
            LastName = Pick("lastName", target.LastName, source.LastName),
            Phone = Pick("phone", target.Phone, source.Phone),
            Email = Pick("email", target.Email, source.Email),
            Contract = Pick("contract", target.Contract, source.Contract),
            Fields = fields,
            Tags = target.Tags.Concat(source.Tags).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
            IsTest = target.IsTest || source.IsTest,
            CreatedAt = target.CreatedAt < source.CreatedAt ? target.CreatedAt : source.CreatedAt,
        };
        if (conflicts.Count > 0)
            throw new ClientProfileException(
                $"choices: the profiles differ in {string.Join(", ", conflicts)}; say which to keep, e.g. {{\"choices\": {{\"{conflicts[0]}\": \"source\"}}}}.",
                "client.merge_conflict", 409);
        return merged with { Verified = [.. verified.Order(StringComparer.Ordinal)] };
    }

    private static string MergeSnapshot(ClientProfile target, ClientProfile source) =>
        new JsonObject { ["target"] = JsonNode.Parse(target.Snapshot()), ["source"] = JsonNode.Parse(source.Snapshot()) }.ToJsonString();

    internal static ClientChangeRow Change(string clientId, string actor, string kind, ClientProfile? before, ClientProfile after, string? other, long now) => new()
    {
        Id = Ids.New(),
        ClientId = clientId,
        At = now,
        Actor = actor,
        Kind = kind,
        Before = before?.Snapshot(),
        After = after.Snapshot(),
        OtherClientId = other,
    };

    public async Task<IReadOnlyList<ClientChangeRow>> ChangesAsync(string id, CancellationToken cancellationToken)
    {
        _ = await store.FindAsync(id, cancellationToken) ?? throw ClientProfileException.NotFound(id);
        return await store.ChangesAsync(id, 200, cancellationToken);
    }

    /// <summary>The client's rating of the conversation's last closed dialog (1 to 5, an optional comment).</summary>
    public async Task<string> RateAsync(string conversationId, int? rating, string? comment, CancellationToken cancellationToken)
    {
        if (rating is not (>= 1 and <= 5))
            throw new ClientProfileException("rating: a whole number from 1 to 5.", "client.bad_rating");
        comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        if (comment is { Length: > 2000 })
            throw new ClientProfileException("comment: at most 2000 characters.", "client.bad_rating");
        return await store.RateLastClosedDialogAsync(conversationId, rating.Value, comment, time.NowMicros(), cancellationToken)
            ?? throw new ClientProfileException("There is no closed dialog in this conversation to rate yet.", "client.nothing_to_rate", 409);
    }
}
