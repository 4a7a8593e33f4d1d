{{%AUTOESCAPE context="HTML"}}<h1>{{HEADING}}</h1>
{{#HAS_INTRO}}<p class="lead">{{INTRO}}</p>
{{/HAS_INTRO}}{{#HAS_OPEN}}<div class="notice" role="status">
<p>{{OPEN_TEXT}}</p>
<ul>
{{#OPEN}}<li><a href="{{HREF}}" dir="auto">{{LABEL}}</a></li>
{{/OPEN}}</ul>
<p>{{t_account__close_open_after}}</p>
</div>
{{/HAS_OPEN}}{{>FORM}}
{{#LINK}}<p><a href="{{HREF}}">{{TEXT}}</a></p>
{{/LINK}}
