namespace BotEngine.Handoff.Tests;

public class PermissionTests
{
    [Fact]
    public void Every_permission_has_the_documented_name()
    {
        string[] expected =
        [
            "handle_dialogs", "view_client", "view_kb", "modify_knowledgebase", "view_users", "modify_users",
            "view_monitoring", "view_dialogs_search", "view_reroute_btn", "send_files", "send_pics", "modify_configuration",
            "modify_user_dissatisfaction", "change_password", "modify_clients", "view_deeplinking", "view_stat",
        ];
        Assert.Equal(expected, Enum.GetValues<Permission>().Select(p => p.ToName()));
        Assert.All(expected, n => Assert.Equal(n, PermissionNames.Parse(n).ToName()));
    }

    [Fact]
    public void Unknown_permission_name_is_a_validation_error()
    {
        var role = Role.FromNames("x", ["view_kb", "fly"]);
        Assert.False(role.IsSuccess);
        Assert.Equal(400, role.Error!.HttpStatus);
    }

    [Fact]
    public void Operator_permissions_are_the_union_of_roles_and_missing_one_is_forbidden()
    {
        var op = Fixtures.Op("a", Fixtures.OperatorRole, Fixtures.SupervisorRole);
        Assert.True(op.Require(Permission.ViewMonitoring).IsSuccess);
        Assert.True(op.Require(Permission.ViewKb).IsSuccess);
        var denied = op.Require(Permission.ModifyUsers);
        Assert.Equal(ErrorKind.Forbidden, denied.Error!.Kind);
        Assert.Contains("modify_users", denied.Error.Message);
    }

    [Fact]
    public void Position_creates_operator_with_its_roles_and_routing()
    {
        var position = new Position("L1 RU", [Fixtures.OperatorRole], RoutingProfile.Create(["msk"], ["ru"], ["l1"], ["cards"]));
        var op = position.CreateOperator("op1", "Анна").Value;
        Assert.Equal("L1 RU", op.PositionName);
        Assert.Equal(3, op.Routing.MaxConcurrentDialogs);
        Assert.Contains("ru", op.Routing.Languages);
        Assert.True(op.Has(Permission.SendPics));

        var custom = position.CreateOperator("op2", "Boris", RoutingProfile.Create(languages: ["en"], maxConcurrentDialogs: 5)).Value;
        Assert.Equal(5, custom.Routing.MaxConcurrentDialogs);

        Assert.False(position.CreateOperator("op3", "x", RoutingProfile.Create(maxConcurrentDialogs: 0)).IsSuccess);
        Assert.False(position.CreateOperator(" ", "x").IsSuccess);
    }
}
