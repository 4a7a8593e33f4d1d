{{%AUTOESCAPE context="HTML"}}<h1>{{t_documents__mine__title}}</h1>
<p class="lead">{{t_documents__mine__intro}}</p>
{{#NONE}}<p>{{t_documents__mine__none}}</p>
{{/NONE}}<ul>
{{#DOCUMENT}}<li><a href="{{HREF}}">{{TITLE}} <span dir="ltr">{{NUMBER}}</span></a> <span class="badge {{STANDING_CLASS}}">{{STANDING}}</span><br>{{t_documents__issued}}: {{ISSUED}} · {{t_documents__expires}}: {{EXPIRES}}</li>
{{/DOCUMENT}}</ul>
<p><a href="/verify">{{t_documents__verify__home_link}}</a></p>
