{{%AUTOESCAPE context="HTML"}}<p><a href="{{LIST_HREF}}">{{t_participation__all_processes}}</a></p>
<h1>{{t_participation__org__title}}</h1>
<p class="lead">{{t_participation__org__intro}}</p>
{{#NO_ORGS}}<p>{{t_participation__org__none}}</p>
{{/NO_ORGS}}<ul class="cards">
{{#ORG}}<li class="card"><h2><a href="{{HREF}}" dir="auto">{{NAME}}</a></h2>
<p>{{KIND}} · {{MEMBERS}}</p></li>
{{/ORG}}</ul>
{{#HAS_MINE}}<h2>{{t_participation__org__mine}}</h2>
<ul>
{{#MINE}}<li><a href="{{HREF}}" dir="auto">{{NAME}}</a> · {{STATE}}</li>
{{/MINE}}</ul>
{{/HAS_MINE}}{{#SIGN_IN}}<p>{{t_participation__org__sign_in}} <a href="{{LOGIN_HREF}}">{{t_participation__sign_in_link}}</a></p>
{{/SIGN_IN}}{{#CAN_REGISTER}}<h2>{{t_participation__org__register}}</h2>
{{>FORM}}
{{/CAN_REGISTER}}
