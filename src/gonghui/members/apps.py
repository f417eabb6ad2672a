from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "gonghui.members"
    label = "members"
    verbose_name = "会员管理"

    def ready(self) -> None:
        from gonghui.members import selectors
        from gonghui.orgs.selectors import register_subtree_counter
        from gonghui.portal.nav import NavItem, register

        register(NavItem("members", "会员名册", "members:list", "ti-users", "members.view", order=200))
        register(NavItem("members", "转会办理", "members:transfers", "ti-transfer", "members.view", order=210))
        register(NavItem("members", "会员导入", "members:imports", "ti-file-import", "members.edit", order=220))
        register(NavItem("members", "长期未缴费未活动", "members:dormant", "ti-user-exclamation", "members.view",
                         order=230))
        register_subtree_counter(selectors.MEMBER_COUNTER)

        from gonghui.members.tally import following_move
        from gonghui.orgs.services import MOVE_HOOKS

        MOVE_HOOKS.append(following_move)

        from gonghui.members.views import member_counts_for_home
        from gonghui.portal.home import HomePanel
        from gonghui.portal.home import register as register_panel

        register_panel(HomePanel("members", "members/_home_panel.html", member_counts_for_home, order=100))
