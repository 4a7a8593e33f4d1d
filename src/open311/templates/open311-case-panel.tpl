{{%AUTOESCAPE context="HTML"}}<p><a href="{{HREF}}">{{t_reports__public_page}}</a></p>
