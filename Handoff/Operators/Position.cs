namespace BotEngine.Handoff;

/// <summary>A named template of roles and routing settings applied when an operator is created.</summary>
public sealed record Position(string Name, IReadOnlyList<Role> Roles, RoutingProfile Routing)
{
    /// <summary>
    /// Creates an operator from this template; an explicit routing profile replaces the template's.
    /// The operator keeps its own copy: editing the position later does not change existing operators.
    /// </summary>
    public HandoffResult<OperatorProfile> CreateOperator(string id, string name, RoutingProfile? routing = null)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return HandoffError.Validation("operator.id", "Operator id is required.");
        }

        var profile = (routing ?? Routing).Validate();
        if (!profile.IsSuccess)
        {
            return profile.Error!;
        }

        return new OperatorProfile(id, name, Roles.ToArray(), profile.Value, Name);
    }
}
