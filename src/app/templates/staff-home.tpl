{{%AUTOESCAPE context="HTML"}}<h1>{{t_work__title}}</h1>
<p class="lead">{{t_work__intro}} <bdi>{{NAME}}</bdi></p>
{{#NOTHING}}<p>{{t_work__nothing}}</p>
{{/NOTHING}}{{#MINISTRY}}<h2>{{t_work__ministry}}</h2>
<ul class="tools">
<li><a href="/ministry/performance">{{t_work__ministry_performance}}</a></li>
</ul>
{{/MINISTRY}}{{#PLATFORM}}<h2>{{t_work__platform}}</h2>
<ul class="tools">
<li><a href="/admin/municipalities">{{t_work__municipalities}}</a><br><span class="hint">{{t_work__municipalities_hint}}</span></li>
</ul>
{{/PLATFORM}}{{#MUNICIPALITY}}<section aria-labelledby="m-{{SLUG}}">
<h2 id="m-{{SLUG}}">{{MUNICIPALITY_NAME}}</h2>
<p>{{t_work__roles}} {{#ROLE}}<span class="tag">{{ROLE_TEXT}}</span> {{/ROLE}}</p>
<ul class="tools">
{{#TOOL}}<li><a href="{{HREF}}">{{LABEL}}</a><br><span class="hint">{{HINT}}</span></li>
{{/TOOL}}</ul>
</section>
{{/MUNICIPALITY}}<p><a href="/account/notifications">{{t_work__messages}}</a></p>
<p><a href="/account">{{t_work__account}}</a></p>
