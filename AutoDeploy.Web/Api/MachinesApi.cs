namespace AutoDeploy.Web.Api;

public static class MachinesApi
{
    public static RouteGroupBuilder MapMachinesApi(this RouteGroupBuilder api) => api;
}
